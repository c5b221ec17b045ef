#!/usr/bin/env bash
# Gathers the natural photographs shipped in Debian wallpaper packages into data/photos
# (one copy of each picture, at its largest resolution). Rendered or abstract art is left out:
# the photographs were picked by eye (their sources are listed in this script).
#   plasma-workspace-wallpapers: 11 photographs
#   mate-backgrounds:            everything under nature/ (12)
#   ukui-wallpapers:             downloaded and looked at, but it holds rendered art only
# Usage: scripts/get-photos.sh [DEST]   (default: data/photos under the repository root)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
dest="${1:-$root/data/photos}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

plasma_photos=(BytheWater ColdRipple ColorfulCups DarkestHour EveningGlow FallenLeaf Grey Kite OneStandsOut Path summer_1am)

if ! command -v apt-get >/dev/null || ! command -v dpkg >/dev/null; then
  echo "error: this script needs apt-get and dpkg (Debian or Ubuntu)." >&2
  exit 1
fi

cd "$work"
if ! apt-get download plasma-workspace-wallpapers mate-backgrounds ukui-wallpapers >download.log 2>&1; then
  echo "error: apt-get download failed (run 'apt-get update' first?):" >&2
  tail -5 download.log >&2
  exit 1
fi
for deb in ./*.deb; do dpkg -x "$deb" extracted; done

mkdir -p "$dest"
count=0

# Plasma wallpapers come in several sizes named WIDTHxHEIGHT.ext; keep the largest.
for name in "${plasma_photos[@]}"; do
  dir="extracted/usr/share/wallpapers/$name/contents/images"
  best="" best_pixels=0
  for file in "$dir"/*; do
    size="$(basename "$file")"; size="${size%.*}"
    w="${size%x*}" h="${size#*x}"
    [[ "$w" =~ ^[0-9]+$ && "$h" =~ ^[0-9]+$ ]] || continue
    if (( w * h > best_pixels )); then best="$file"; best_pixels=$(( w * h )); fi
  done
  if [[ -z "$best" ]]; then echo "warning: no image found for $name" >&2; continue; fi
  cp "$best" "$dest/plasma-$name.${best##*.}"
  count=$(( count + 1 ))
done

for file in extracted/usr/share/backgrounds/mate/nature/*; do
  [[ -f "$file" ]] || continue
  cp "$file" "$dest/mate-$(basename "$file")"
  count=$(( count + 1 ))
done

echo "$count photos in $dest"
