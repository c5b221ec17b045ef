#!/usr/bin/env bash
# The README's main job until a shipped model exists: fetch the training photos (once) and run a short
# training of the compact context encoder, leaving checkpoints, sample grids and metrics in runs/demo.
# Usage: scripts/demo-train.sh [STEPS]   (default 60 steps, a few minutes on 2 cores)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
steps="${1:-60}"
cd "$root"

if [[ ! -d data/photos ]] || [[ -z "$(ls -A data/photos 2>/dev/null)" ]]; then
  if [[ "$(id -u)" == 0 ]]; then apt-get update -qq >/dev/null; fi
  scripts/get-photos.sh
fi

dotnet build src/Trainer -c Release -v quiet -nologo
out="runs/demo-$(date +%Y%m%d-%H%M%S)"
dotnet src/Trainer/bin/Release/net10.0/inpaint-train.dll train \
  --data data/photos --out "$out" --arch compact --max-steps "$steps" \
  --sample-interval 20 --val-interval 20 --checkpoint-interval 20 --log-interval 5
echo
echo "demo run written to $out: checkpoints/ (model.safetensors), samples/*.png, metrics.jsonl, tensorboard/"
