#!/usr/bin/env bash
# Makes tiny-32.onnx, the small "inpaint/1" model the OnnxInpaint tests use: the `tiny` architecture
# (32x32 input, centre 16x16 hole, 32,747 parameters) trained for 200 steps on data/photos, then exported.
# Run from the repository root after scripts/get-photos.sh.
set -euo pipefail
run="$(mktemp -d)/tiny"
dotnet build src/Trainer -c Release -v quiet -nologo
dotnet build src/Exporter -c Release -v quiet -nologo
dotnet src/Trainer/bin/Release/net10.0/inpaint-train.dll train --data data/photos --out "$run" --arch tiny \
  --max-steps 200 --batch-size 16 --lr-g 1e-3 --sample-interval 0 --val-interval 200 --checkpoint-interval 200 --threads 2
dotnet src/Exporter/bin/Release/net10.0/inpaint-export.dll "$run" -o tests/OnnxInpaint.Tests/Fixtures/tiny-32.onnx
