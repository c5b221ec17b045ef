#!/usr/bin/env bash
# Makes detector-tiny.onnx, the small damage detector (inpaint/1, task detect) the OnnxInpaint tests use: the
# `detector-tiny` architecture (32 px crops, granularity 4) trained for 300 steps on data/train, then exported with its
# verification. Run from the repository root after scripts/get-photos.sh && scripts/split-photos.sh.
set -euo pipefail
run="$(mktemp -d)/detector-tiny"
dotnet build src/Trainer -c Release -v quiet -nologo
dotnet build src/Exporter -c Release -v quiet -nologo
dotnet src/Trainer/bin/Release/net10.0/inpaint-train.dll train --data data/train --val-data data/val --out "$run" --arch detector-tiny \
  --max-steps 300 --batch-size 16 --lr-g 2e-3 --beta1 0.9 --sample-interval 0 --val-interval 300 --checkpoint-interval 300 --threads 2
dotnet src/Exporter/bin/Release/net10.0/inpaint-export.dll "$run" -o tests/OnnxInpaint.Tests/Fixtures/detector-tiny.onnx
