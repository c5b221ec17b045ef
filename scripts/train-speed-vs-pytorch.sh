#!/usr/bin/env bash
# Times the freeform U-Net's training step in our trainer (TorchSharp) and in Debian's PyTorch on the same machine,
# interleaved (ours, theirs, ours, theirs...) so that a machine whose speed drifts affects both alike, and prints the
# ratio of the medians. PyTorch is a cross-check only (apt-get install python3-torch); the product never needs it.
#   scripts/train-speed-vs-pytorch.sh [DATA] [ROUNDS] [STEPS]   (defaults: data/train 3 30)
# Needs the Release build of the trainer: dotnet build src/Trainer -c Release. Run it on an otherwise idle machine:
# libtorch's threads spin while waiting, so any other CPU load distorts both sides (docs/trainer.md, "Speed").
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="${1:-$root/data/train}" rounds="${2:-3}" steps="${3:-30}"
train="$root/src/Trainer/bin/Release/net10.0/inpaint-train.dll"
py=/usr/bin/python3
# Both sides spin while they wait, as PyTorch does by default (the trainer waits passively unless told: docs/trainer.md).
export OMP_WAIT_POLICY=ACTIVE
[ -f "$train" ] || { echo "error: build the trainer first: dotnet build src/Trainer -c Release" >&2; exit 1; }
"$py" -c "import torch" 2>/dev/null || { echo "error: Debian's python3-torch is missing (apt-get install python3-torch)" >&2; exit 1; }
spec="$(mktemp)"; trap 'rm -f "$spec"' EXIT
dotnet "$train" spec freeform > "$spec"
ours=() theirs=() theirs_cl=()
for r in $(seq "$rounds"); do
  # Ours: the whole step the training loop runs (its pre-fill is made on the batch-making thread).
  line=$(dotnet "$train" profile --data "$data" --threads 2 --steps "$steps" --warmup 3 --no-bfloat16 | grep '^threads 2:')
  ours+=("$(sed -E 's/.*; step ([0-9.]+) = .*/\1/' <<<"$line")")
  echo "round $r, inpaint-train: $line"
  while read -r json; do
    ms=$("$py" -c 'import json,sys; print(json.loads(sys.argv[1])["total"]["median_ms"])' "$json")
    fmt=$("$py" -c 'import json,sys; print(json.loads(sys.argv[1])["format"])' "$json")
    if [ "$fmt" = contiguous ]; then theirs+=("$ms"); else theirs_cl+=("$ms"); fi
    echo "round $r, pytorch $fmt: $ms ms"
  done < <("$py" "$root/scripts/torch-step-bench.py" --spec "$spec" --steps "$steps" --warmup 3 --threads 2 --formats contiguous,channels_last | grep '^{')
done
"$py" - "${ours[*]}" "${theirs[*]}" "${theirs_cl[*]}" <<'PY'
import statistics, sys
ours, contiguous, channels_last = ([float(v) for v in a.split()] for a in sys.argv[1:4])
o, c, l = statistics.median(ours), statistics.median(contiguous), statistics.median(channels_last)
print(f"median step: inpaint-train {o:.1f} ms (pre-fill included), PyTorch contiguous {c:.1f} ms, channels-last {l:.1f} ms (no pre-fill)")
print(f"speed ratio (PyTorch ms / ours): {c / o:.2f}x against contiguous, {l / o:.2f}x against channels-last")
PY
