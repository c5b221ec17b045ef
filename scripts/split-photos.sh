#!/usr/bin/env bash
# Splits data/photos (from scripts/get-photos.sh) into data/train, data/val and data/heldout, as hard links that
# keep the <package>/ folders. The three folders are removed and made anew on each run.
# The held-out photos are never trained on or used to pick checkpoints: they are the ones `inpaint eval` reports
# on. Validation photos pick checkpoints. The split is by photo, fixed and stable:
#   - only photos of set "photo" (manifest.tsv) can be held out or validate; "small" and "texture" always train;
#   - strata: each package with at least 4 such photos is its own stratum; smaller packages are pooled into one;
#   - within a stratum, photos are ranked by the SHA-256 of "<package>/<name without extension>"; the first
#     ceil(14% of n) are held out, the next ceil(10% of n) validate, the rest train.
# Adding a photo moves at most a photo or two of its own stratum. See docs/data.md.
# Usage: scripts/split-photos.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
held_pct=14 val_pct=10 own_stratum=4

die() { echo "error: $*" >&2; exit 1; }
[[ $# -eq 0 ]] || die "usage: scripts/split-photos.sh (no arguments; it reads data/photos)"
cd "$root/data" 2>/dev/null || die "data/ is missing; run scripts/get-photos.sh first"
[[ -d photos ]] || die "data/photos is missing; run scripts/get-photos.sh first"

declare -A set_of=()
if [[ -f photos/manifest.tsv ]]; then
  while IFS=$'\t' read -r file _ _ set _; do set_of["$file"]="$set"; done < <(tail -n +2 photos/manifest.tsv)
else
  echo "warning: data/photos/manifest.tsv is missing: every picture is taken as set 'photo'" >&2
fi

list="$(mktemp)"
trap 'rm -f "$list" "$list.ranked"' EXIT
while IFS= read -r -d '' f; do
  rel="${f#photos/}"
  if [[ "$rel" != */* ]]; then echo "warning: $rel is not in a <package>/ folder; left out" >&2; continue; fi
  key="${rel%.*}"
  hash="$(printf '%s' "$key" | sha256sum | cut -c1-64)"
  printf '%s\t%s\t%s\t%s\n' "${rel%%/*}" "$hash" "$rel" "${set_of[$rel]:-photo}" >>"$list"
done < <(find photos -type f \( -iname '*.png' -o -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.bmp' -o -iname '*.webp' \) -print0)
[[ -s "$list" ]] || die "no pictures in data/photos"

# strata, then rank by hash within each: "stratum<TAB>hash<TAB>path<TAB>package" ("-" = training only)
awk -F'\t' -v OFS='\t' -v own="$own_stratum" '
  NR == FNR { if ($4 == "photo") eligible[$1]++; next }
  { print ($4 != "photo" ? "-" : eligible[$1] >= own ? $1 : "(pooled)"), $2, $3, $1 }' "$list" "$list" \
  | LC_ALL=C sort -t$'\t' -k1,1 -k2,2 >"$list.ranked"
# "split<TAB>path<TAB>package"
plan="$(awk -F'\t' -v OFS='\t' -v hp="$held_pct" -v vp="$val_pct" '
  NR == FNR { n[$1]++; next }
  $1 != prev { rank = 0; prev = $1 }
  {
    rank++
    held = int((n[$1] * hp + 99) / 100); val = int((n[$1] * vp + 99) / 100)
    if (held > n[$1]) held = n[$1]
    if (held + val > n[$1]) val = n[$1] - held
    split_ = $1 == "-" ? "train" : rank <= held ? "heldout" : rank <= held + val ? "val" : "train"
    print split_, $3, $4
  }' "$list.ranked" "$list.ranked" | LC_ALL=C sort -t$'\t' -k2,2)"

rm -rf train val heldout
mkdir -p train val heldout
while IFS=$'\t' read -r split rel _; do
  mkdir -p "$split/$(dirname "$rel")"
  ln "photos/$rel" "$split/$rel" || die "could not hard-link photos/$rel into data/$split"
done <<<"$plan"

# counts per folder and per package
printf '%-30s %6s %6s %8s\n' package train val heldout
awk -F'\t' '
  { c[$3 "\t" $1]++; p[$3] = 1 }
  END { for (k in p) printf "%-30s %6d %6d %8d\n", k, c[k "\ttrain"], c[k "\tval"], c[k "\theldout"] }' <<<"$plan" | LC_ALL=C sort
awk -F'\t' '{ t[$1]++ } END { printf "%-30s %6d %6d %8d\n", "total", t["train"], t["val"], t["heldout"] }' <<<"$plan"
echo "data/train: $(find train -type f | wc -l) files, data/val: $(find val -type f | wc -l), data/heldout: $(find heldout -type f | wc -l)"
