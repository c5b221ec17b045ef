#!/usr/bin/env bash
# Runs a damage detector on the old-photo sample and composes the strip for the README and the detector's card:
# the old photo | what the detector found (white = damage) | repair --auto. Also rewrites samples/old-photo-detected.png.
# Needs Debian's python3-pil for the composition only.
# Usage: [LEVELS=N] [GROW=G] scripts/make-detector-strip.sh [DETECTOR.onnx] [OUT.png]   (--levels and --grow; 0 and 2 as the README shows)
set -euo pipefail
detector="${1:-models/inpaint-detector.onnx}" out="${2:-samples/old-photo-strip.png}" levels="${LEVELS:-0}" grow="${GROW:-2}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root"
dotnet build src/OnnxInpaint.Cli -c Release -v quiet -nologo >/dev/null
inpaint() { dotnet src/OnnxInpaint.Cli/bin/Release/net10.0/inpaint.dll "$@"; }
inpaint detect samples/old-photo.png -o "$work/detected.png" --levels "$levels" --detector "$detector" --device cpu
inpaint repair samples/old-photo.png --auto --levels "$levels" --grow "$grow" -o "$work/repaired.png" --detector "$detector" --device cpu
cp "$work/detected.png" samples/old-photo-detected.png
/usr/bin/python3 - "$work" "$out" <<'PY'
import sys
from PIL import Image
work, out = sys.argv[1], sys.argv[2]
ims = [Image.open(p).convert("RGB") for p in ("samples/old-photo.png", f"{work}/detected.png", f"{work}/repaired.png")]
side, gap = 420, 4
ims = [im.resize((side, round(side * im.height / im.width)), Image.LANCZOS) for im in ims]
strip = Image.new("RGB", (len(ims) * (side + gap) - gap, ims[0].height), "white")
for i, im in enumerate(ims):
    strip.paste(im, (i * (side + gap), 0))
strip.save(out, optimize=True)
print(f"wrote {out}")
PY
