#!/usr/bin/env bash
# Repairs the five samples with a model and composes a strip for its model card: one row per sample,
# damaged | the model's fill (--fill smooth) | the default repair (--fill auto: texture in large regions) | original.
# Needs Debian's python3-pil for the composition only.
# Usage: scripts/make-sample-strip.sh MODEL.onnx OUT.png
set -euo pipefail
model="$1" out="$2"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root"
dotnet build src/OnnxInpaint.Cli -c Release -v quiet -nologo >/dev/null
samples="center scratches text object removal"
photo() { if [ -f "samples/$1.png" ]; then echo "samples/$1.png"; else echo "samples/$1.jpg"; fi; }
for s in $samples; do
  for fill in smooth auto; do
    dotnet src/OnnxInpaint.Cli/bin/Release/net10.0/inpaint.dll repair "$(photo "$s")" --mask "samples/$s-mask.png" \
      -o "$work/$s-$fill.png" --model "$model" --device cpu --fill "$fill"
  done
done
/usr/bin/python3 - "$work" "$out" $samples <<'PY'
import os, sys
from PIL import Image
work, out, samples = sys.argv[1], sys.argv[2], sys.argv[3:]
def photo(s, suffix=""):
    png = f"samples/{s}{suffix}.png"
    return png if os.path.exists(png) else f"samples/{s}{suffix}.jpg"
side, gap, rows = 300, 4, []
for s in samples:
    paths = (photo(s), f"{work}/{s}-smooth.png", f"{work}/{s}-auto.png", photo(s, "-original"))
    ims = [Image.open(p).convert("RGB") for p in paths]
    ims = [im.resize((side, round(side * im.height / im.width)), Image.LANCZOS) for im in ims]
    row = Image.new("RGB", (len(ims) * (side + gap) - gap, ims[0].height), "white")
    for i, im in enumerate(ims):
        row.paste(im, (i * (side + gap), 0))
    rows.append(row)
strip = Image.new("RGB", (rows[0].width, sum(r.height for r in rows) + gap * (len(rows) - 1)), "white")
y = 0
for r in rows:
    strip.paste(r, (0, y))
    y += r.height + gap
strip.save(out, optimize=True)
print(f"wrote {out}")
PY
