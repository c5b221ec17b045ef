#!/usr/bin/env bash
# GPU check for the `inpaint` command, for a machine with an NVIDIA GPU, CUDA 13 and cuDNN 9
# (Microsoft.ML.OnnxRuntime.Gpu 1.31 needs libcublasLt.so.13 and libcudart.so.13).
#   1. shows the GPU and the providers compiled into ONNX Runtime,
#   2. runs a short batched benchmark with --device cuda (and the same on the CPU for the ratio),
#   3. shows that --device cuda without fallback fails with one line and exit code 1 where CUDA cannot be
#      used (CUDA_VISIBLE_DEVICES is emptied for that run), and that --device auto falls back to the CPU.
# Usage: scripts/gpu-check.sh [MODEL.onnx]   (default: the shipped model)
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
model="${1:-models/inpaint-freeform.onnx}"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>/dev/null || echo "nvidia-smi: not available"
dotnet build src/OnnxInpaint.Cli -c Release -v quiet -nologo || exit 1
inpaint() { dotnet src/OnnxInpaint.Cli/bin/Release/net10.0/inpaint.dll "$@"; }

echo "== model and providers"
inpaint info "$model" | grep -E "architecture|providers"
echo "== CUDA benchmark (batches 1, 8, 32)"
inpaint bench --model "$model" --device cuda --batches 1,8,32 --seconds 5 --repair 4000x3000:scratches:50
echo "exit $?"
echo "== CPU benchmark for comparison"
inpaint bench --model "$model" --device cpu --batches 1,8 --seconds 5
echo "== --device cuda where CUDA cannot be used: expect one 'error:' line and exit 1"
tmp="$(mktemp -d)"
inpaint repair samples/center.png --mask samples/center-mask.png -o "$tmp/out.png" --model "$model" --device cuda 2>&1 | head -3
CUDA_VISIBLE_DEVICES="" inpaint repair samples/center.png --mask samples/center-mask.png -o "$tmp/out.png" --model "$model" --device cuda; echo "exit $?"
echo "== --device auto where CUDA cannot be used: expect the CPU, with the reason"
CUDA_VISIBLE_DEVICES="" inpaint repair samples/center.png --mask samples/center-mask.png -o "$tmp/out.png" --model "$model" --device auto -v 2>&1 | grep -E "provider|repaired"
rm -rf "$tmp"
