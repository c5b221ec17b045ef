#!/usr/bin/env bash
# Repairs the four samples with a model and composes a strip for its model card: one row per sample,
# damaged | repaired | original. Needs Debian's python3-pil for the composition only.
# Usage: scripts/make-sample-strip.sh MODEL.onnx OUT.png
set -euo pipefail
model="$1" out="$2"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root"
dotnet build src/OnnxInpaint.Cli -c Release -v quiet -nologo >/dev/null
for s in center scratches text object; do
  dotnet src/OnnxInpaint.Cli/bin/Release/net10.0/inpaint.dll repair "samples/$s.png" --mask "samples/$s-mask.png" \
    -o "$work/$s.png" --model "$model" --device cpu
done
/usr/bin/python3 - "$work" "$out" <<'PY'
import sys
from PIL import Image
work, out = sys.argv[1], sys.argv[2]
rows = []
for s in ["center", "scratches", "text", "object"]:
    ims = [Image.open(p).convert("RGB") for p in (f"samples/{s}.png", f"{work}/{s}.png", f"samples/{s}-original.png")]
    ims = [im.resize((320, round(320 * im.height / im.width))) for im in ims]
    row = Image.new("RGB", (3 * 320 + 8, ims[0].height), "white")
    for i, im in enumerate(ims):
        row.paste(im, (i * 324, 0))
    rows.append(row)
strip = Image.new("RGB", (rows[0].width, sum(r.height for r in rows) + 4 * (len(rows) - 1)), "white")
y = 0
for r in rows:
    strip.paste(r, (0, y))
    y += r.height + 4
strip.save(out, optimize=True)
print(f"wrote {out}")
PY
