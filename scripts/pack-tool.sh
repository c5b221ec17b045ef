#!/usr/bin/env bash
# Packs the inpaint command as a .NET tool (package Inpaint.Cli, command `inpaint`): the CPU build of ONNX Runtime,
# the shipped models inside, no OpenCV natives. Its own artifacts folder keeps the repository's (GPU) build untouched.
# Usage: scripts/pack-tool.sh [OUT] (default artifacts/packages); then
#   dotnet tool install -g Inpaint.Cli --add-source OUT --version VERSION
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-artifacts/packages}"
dotnet pack src/OnnxInpaint.Cli -c Release -o "$out" -p:InpaintOnnxRuntime=cpu -p:ContinuousIntegrationBuild=true \
    --artifacts-path artifacts/tool-build
ls -l "$out"/Inpaint.Cli.*.nupkg
