#!/usr/bin/env bash
# Splits data/photos (from scripts/get-photos.sh) into data/train and data/heldout, as hard links.
# The held-out photos are never trained on or used to pick checkpoints: they are the ones `inpaint eval`
# reports on. The choice is fixed and stable: the 4 photos whose file names have the smallest SHA-256.
# Usage: scripts/split-photos.sh [HELD_OUT_COUNT]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
count="${1:-4}"
cd "$root/data"
[[ -d photos ]] || { echo "error: data/photos is missing; run scripts/get-photos.sh first" >&2; exit 1; }
rm -rf train heldout
mkdir -p train heldout
mapfile -t held < <(for f in photos/*; do printf '%s %s\n' "$(basename "$f" | sha256sum | cut -c1-16)" "$(basename "$f")"; done | sort | head -n "$count" | cut -d' ' -f2)
for f in photos/*; do
  name="$(basename "$f")"
  if printf '%s\n' "${held[@]}" | grep -qxF "$name"; then ln "$f" "heldout/$name"; else ln "$f" "train/$name"; fi
done
echo "$(ls train | wc -l) training photos in data/train, $(ls heldout | wc -l) held out in data/heldout: ${held[*]}"
