#!/usr/bin/env bash
# Gathers about 280 natural photographs shipped in Debian 12 packages into DEST/<package>/<name>.<ext>,
# checks every file against its sha256, and writes DEST/manifest.tsv. See docs/data.md.
#   scripts/photo-sources.tsv     one row per photo: package, pinned version, set, licence, name, path in the .deb
#   scripts/photo-sources.sha256  sha256 of each file as shipped in the pinned version ("<package>/<path>")
# Each package is fetched with `apt-get download PKG=VERSION` (the current version when the pinned one has
# left the archive; then the checksum decides file by file), unpacked in a temp folder and thrown away.
# Pictures are made 8-bit RGB: EXIF orientation applied, alpha dropped, the palette GIF and the HDR (EXR)
# panoramas written as PNG; files that need no change keep their original bytes.
# Re-running is quick: packages whose files are all present (per the manifest) are not downloaded again.
# Needs apt-get, dpkg-deb, sha256sum and Debian's python3 with python3-pil and python3-numpy; the EXR panoramas
# need ImageMagick with HDRI and OpenEXR (imagemagick-6.q16hdri + libmagickcore-6.q16hdri-6-extra). Missing
# packages are named with the apt-get command that installs them; with --install (as root) the script runs it.
# Usage: scripts/get-photos.sh [--install] [DEST]   (default: data/photos under the repository root)
set -euo pipefail

install=0
if [[ "${1:-}" == --install ]]; then install=1; shift; fi
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="${1:-$root/data/photos}"
sources="$root/scripts/photo-sources.tsv"
sums="$root/scripts/photo-sources.sha256"
py=/usr/bin/python3   # Debian's interpreter (python3-pil), not whatever python3 comes first on PATH
start=$SECONDS

die() { echo "error: $*" >&2; exit 1; }
note() { echo "$*" >&2; }

# Packages that hold the independent evaluation set. Nothing from them may ever be downloaded, unpacked or
# looked at: a photo from them in training or validation makes every quality number meaningless.
is_reserved() {
  case "$1" in
    opencv-doc | lomiri-wallpapers* | palapeli-data | python3-skimage* | python-skimage* | python3-sklearn* \
      | python-sklearn* | python-matplotlib-data | python3-scipy* | python-scipy*) return 0 ;;
  esac
  return 1
}

[[ $# -le 1 && "${1:-}" != -* ]] || die "usage: scripts/get-photos.sh [--install] [DEST]"
for tool in apt-get apt-cache dpkg-deb sha256sum; do
  command -v "$tool" >/dev/null || die "this script needs $tool (Debian or Ubuntu)."
done
[[ -r "$sources" && -r "$sums" ]] || die "missing scripts/photo-sources.tsv or scripts/photo-sources.sha256."

# ---- read the source list -------------------------------------------------------------------------------
declare -A sha=() row_version=() seen=()
packages=() rows=()
while read -r hash key; do sha["$key"]="$hash"; done <"$sums"
while IFS=$'\t' read -r pkg version set licence name path; do
  [[ "$pkg" == package ]] && continue
  [[ -n "$path" ]] || die "scripts/photo-sources.tsv: incomplete row for '$pkg'."
  is_reserved "$pkg" && die "refusing reserved evaluation package '$pkg' (listed in scripts/photo-sources.tsv); see docs/data.md."
  [[ "$set" =~ ^(photo|small|texture)$ ]] || die "scripts/photo-sources.tsv: unknown set '$set' for $pkg/$name."
  [[ -n "${sha[$pkg/$path]:-}" ]] || die "no checksum for $pkg/$path in scripts/photo-sources.sha256."
  if [[ -z "${seen[$pkg]:-}" ]]; then packages+=("$pkg"); seen["$pkg"]=1; row_version["$pkg"]="$version"; fi
  rows+=("$pkg"$'\t'"$set"$'\t'"$licence"$'\t'"$name"$'\t'"$path")
done <"$sources"
(( ${#rows[@]} > 0 )) || die "scripts/photo-sources.tsv lists no photos."

# ---- tools ------------------------------------------------------------------------------------------------
find_magick() {
  local c info formats
  for c in convert-im6.q16hdri magick; do
    command -v "$c" >/dev/null || continue
    info="$("$c" -version 2>/dev/null || true)" formats="$("$c" -list format 2>/dev/null || true)"
    if [[ "$info" == *HDRI* ]] && grep -qE '^ *EXR\*? +EXR +r' <<<"$formats"; then echo "$c"; return 0; fi
  done
  return 1
}
missing=()
have_python() { [[ -x "$py" ]] && "$py" -c 'import PIL, numpy' 2>/dev/null; }
have_python || missing+=(python3-pil python3-numpy)
magick="$(find_magick || true)"
[[ -n "$magick" ]] || missing+=(imagemagick-6.q16hdri libmagickcore-6.q16hdri-6-extra)
if (( ${#missing[@]} > 0 )); then
  if (( install )); then
    [[ $EUID -eq 0 ]] || die "--install needs root (it runs apt-get install ${missing[*]})."
    note "installing ${missing[*]} ..."
    apt-cache show "${missing[0]}" >/dev/null 2>&1 || apt-get update -qq >/dev/null 2>&1 || true
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
      note "warning: apt-get install ${missing[*]} failed"
    fi
  fi
  have_python || die "needs Debian's python3 with python3-pil and python3-numpy: 'apt-get install python3-pil python3-numpy', or run this script with --install as root."
  magick="$(find_magick || true)"
  [[ -n "$magick" ]] || note "warning: no ImageMagick with HDRI and OpenEXR (apt-get install imagemagick-6.q16hdri libmagickcore-6.q16hdri-6-extra, or --install): the EXR panoramas will be left out."
fi

# apt needs its package lists; on a fresh machine they may be empty.
if ! apt-cache show "${packages[0]}" >/dev/null 2>&1; then
  [[ $EUID -eq 0 ]] || die "apt-cache knows no '${packages[0]}': run 'apt-get update' as root first."
  note "running apt-get update ..."
  apt-get update -qq >/dev/null 2>&1 || die "apt-get update failed."
fi

# ---- the converter (Python, Debian's python3-pil and python3-numpy) ---------------------------------------
# stdin: lines "source<TAB>output path without extension". stdout: "output file<TAB>width<TAB>height<TAB>conversion".
# A source that needs no change is copied byte for byte; otherwise JPEGs are re-encoded at quality 95
# (4:4:4) and everything else is written as PNG. EXR: decoded by ImageMagick (HDRI) to linear float RGB,
# tone-mapped (Reinhard, key 0.18 on the log-average luminance, white point = 99.5th percentile), sRGB, 8 bits.
read -r -d '' converter <<'PY' || true
import os, shutil, subprocess, sys
import numpy as np
from PIL import Image, ImageOps

magick = sys.argv[1]

def png_depth(path):
    with open(path, "rb") as f:
        head = f.read(26)
    return head[24] if head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR" else 8

def exr(src, base):
    if not magick:
        raise RuntimeError("no ImageMagick with HDRI and OpenEXR")
    w, h = map(int, subprocess.run([magick, src, "-format", "%w %h", "info:"], check=True,
                                   capture_output=True, text=True).stdout.split()[:2])
    # '-set colorspace sRGB' stops ImageMagick from gamma-encoding the linear data on the way out.
    raw = subprocess.run([magick, src, "-set", "colorspace", "sRGB", "-depth", "32", "-define",
                          "quantum:format=floating-point", "-endian", "LSB", "rgb:-"],
                         check=True, capture_output=True).stdout
    a = np.frombuffer(raw, "<f4").reshape(h, w, 3).astype(np.float64)
    a = np.maximum(np.nan_to_num(a, nan=0.0, posinf=0.0, neginf=0.0), 0.0)
    lum = a @ np.array([0.2126, 0.7152, 0.0722])
    scaled = 0.18 / np.exp(np.log(lum + 1e-4).mean()) * lum
    white = max(float(np.percentile(scaled, 99.5)), 1.0)
    mapped = scaled * (1 + scaled / white ** 2) / (1 + scaled)
    rgb = np.clip(a * (mapped / np.maximum(lum, 1e-9))[..., None], 0.0, 1.0)
    srgb = np.where(rgb <= 0.0031308, 12.92 * rgb, 1.055 * np.power(rgb, 1 / 2.4) - 0.055)
    Image.fromarray(np.round(srgb * 255).astype(np.uint8), "RGB").save(base + ".png")
    return base + ".png", w, h, "exr-tonemap"

def picture(src, base):
    with Image.open(src) as im:
        fmt, mode = im.format, im.mode
        steps = []
        orientation = im.getexif().get(0x0112, 1)
        if orientation in range(2, 9):
            steps.append(f"exif-orientation-{orientation}")
        if mode != "RGB":
            if mode in ("RGBA", "LA") or "transparency" in im.info:
                alpha = im.convert("RGBA").getchannel("A").getextrema()
                steps.append(f"{mode}-to-RGB" + ("" if alpha[0] == 255 else "(alpha-not-opaque)"))
            else:
                steps.append(f"{mode}-to-RGB")
        if fmt == "PNG" and png_depth(src) != 8:
            steps.append(f"{png_depth(src)}bit-to-8bit")
        if fmt not in ("JPEG", "PNG"):
            steps.append(f"{fmt.lower()}-to-png")
        ext = ".jpg" if fmt == "JPEG" else ".png"
        if not steps:
            w, h = im.size
            shutil.copyfile(src, base + ext)
            return base + ext, w, h, "none"
        out = ImageOps.exif_transpose(im).convert("RGB")
        if fmt == "JPEG":
            out.save(base + ext, quality=95, subsampling=0, icc_profile=im.info.get("icc_profile"))
        else:
            out.save(base + ext, icc_profile=im.info.get("icc_profile"))
        return (base + ext, *out.size, "+".join(steps))

for line in sys.stdin:
    src, base = line.rstrip("\n").split("\t")
    try:
        out = exr(src, base) if src.lower().endswith(".exr") else picture(src, base)
        print(*out, sep="\t", flush=True)
    except Exception as e:  # one bad file must not stop the others
        print(f"warning: could not convert {os.path.basename(base)}: {e}", file=sys.stderr)
PY

# ---- the previous manifest (for quick re-runs) ------------------------------------------------------------
# columns: file package version set licence width height source_sha256 source_path conversion
header=$'file\tpackage\tversion\tset\tlicence\twidth\theight\tsource_sha256\tsource_path\tconversion'
declare -A old=()
if [[ -f "$dest/manifest.tsv" ]]; then
  while IFS=$'\t' read -r file pkg version _set _lic width height hash path conversion; do
    [[ "$file" == file ]] && continue
    [[ -s "$dest/$file" && "$hash" == "${sha[$pkg/$path]:-}" ]] || continue
    old["$pkg/$path"]="$file"$'\t'"$version"$'\t'"$width"$'\t'"$height"$'\t'"$conversion"
  done <"$dest/manifest.tsv"
fi

# ---- fetch, check, convert, one package at a time -----------------------------------------------------------
mkdir -p "$dest"
work="$(mktemp -d "${TMPDIR:-/tmp}/get-photos.XXXXXX")"
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"   # lets apt's unprivileged '_apt' user write the .deb there
manifest="$work/manifest.tsv"
: >"$manifest"
kept=0 reused=0
bad_sum=() bad_file=() missing_pkgs=() fallback=()

# manifest line from a row and "file version width height conversion"
emit() {
  local pkg=$1 set=$2 licence=$3 path=$4 file=$5 version=$6 width=$7 height=$8 conversion=$9
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$file" "$pkg" "$version" "$set" "$licence" "$width" "$height" \
    "${sha[$pkg/$path]}" "$path" "$conversion" >>"$manifest"
}

# resolve a path inside an unpacked package, following symbolic links (relative or absolute) within it
resolve() {
  local top=$1 rel=$2 target
  for _ in 1 2 3 4 5 6 7 8; do
    [[ -L "$top/$rel" ]] || break
    target="$(readlink "$top/$rel")"
    if [[ "$target" == /* ]]; then rel="${target#/}"; else rel="$(dirname "$rel")/$target"; fi
    rel="$(realpath -m --relative-to=/ "/$rel")"
  done
  [[ -f "$top/$rel" && ! -L "$top/$rel" ]] && echo "$top/$rel"
}

for pkg in "${packages[@]}"; do
  is_reserved "$pkg" && die "refusing reserved evaluation package '$pkg'."
  mine=()
  for r in "${rows[@]}"; do [[ "${r%%$'\t'*}" == "$pkg" ]] && mine+=("$r"); done

  # quick path: every file of this package is present and was checked before
  all_there=1
  for r in "${mine[@]}"; do IFS=$'\t' read -r _ _ _ _ path <<<"$r"; [[ -n "${old[$pkg/$path]:-}" ]] || all_there=0; done
  if (( all_there )); then
    declare -A keep_files=()
    for r in "${mine[@]}"; do
      IFS=$'\t' read -r _ set licence _ path <<<"$r"
      IFS=$'\t' read -r file version width height conversion <<<"${old[$pkg/$path]}"
      emit "$pkg" "$set" "$licence" "$path" "$file" "$version" "$width" "$height" "$conversion"
      keep_files["$file"]=1; kept=$((kept + 1)); reused=$((reused + 1))
    done
    # drop anything else in DEST/<package>/ (that folder belongs to this script)
    while IFS= read -r -d '' f; do
      rel="${f#"$dest"/}"
      [[ -n "${keep_files[$rel]:-}" ]] || { note "removing stray $rel"; rm -f "$f"; }
    done < <(find "$dest/$pkg" -type f -print0)
    unset keep_files
    continue
  fi

  version="${row_version[$pkg]}"
  dir="$work/$pkg"
  mkdir -p "$dir/deb" "$dir/out/$pkg"
  chmod 755 "$dir" "$dir/deb"
  if ! (cd "$dir/deb" && apt-get download "$pkg=$version" >"$dir/apt.log" 2>&1); then
    if (cd "$dir/deb" && apt-get download "$pkg" >"$dir/apt.log" 2>&1); then
      note "$pkg: pinned version $version is no longer in the archive; trying the current one (checksums decide)"
    else
      note "error: $pkg: apt-get download failed: $(grep -E '^E:' "$dir/apt.log" | head -1)"
      missing_pkgs+=("$pkg")
      # keep what an earlier run fetched and checked
      for r in "${mine[@]}"; do
        IFS=$'\t' read -r _ set licence _ path <<<"$r"
        [[ -n "${old[$pkg/$path]:-}" ]] || continue
        IFS=$'\t' read -r file oldversion width height conversion <<<"${old[$pkg/$path]}"
        emit "$pkg" "$set" "$licence" "$path" "$file" "$oldversion" "$width" "$height" "$conversion"
        kept=$((kept + 1)); reused=$((reused + 1))
      done
      rm -rf "$dir"
      continue
    fi
  fi
  debs=("$dir"/deb/*.deb)
  deb="${debs[0]}"
  used="$(dpkg-deb -f "$deb" Version)"
  [[ "$used" == "$version" ]] || fallback+=("$pkg $version -> $used")
  dpkg-deb -x "$deb" "$dir/x" || die "$pkg: dpkg-deb could not unpack $(basename "$deb")."
  rm -f "$deb"

  jobs="$dir/jobs.tsv"
  : >"$jobs"
  declare -A meta=() made=()
  for r in "${mine[@]}"; do
    IFS=$'\t' read -r _ set licence name path <<<"$r"
    src="$(resolve "$dir/x" "$path" || true)"
    if [[ -z "$src" ]]; then
      note "$pkg $used: $path is not in the package; left out"
      bad_file+=("$pkg/$path"); continue
    fi
    got="$(sha256sum "$src" | cut -d' ' -f1)"
    if [[ "$got" != "${sha[$pkg/$path]}" ]]; then
      note "$pkg $used: checksum mismatch for $path; left out"
      bad_sum+=("$pkg/$path ($used)"); continue
    fi
    printf '%s\t%s\n' "$src" "$dir/out/$pkg/$name" >>"$jobs"
    meta["$dir/out/$pkg/$name"]="$set"$'\t'"$licence"$'\t'"$path"
  done
  n_pkg=0
  while IFS=$'\t' read -r out width height conversion; do
    IFS=$'\t' read -r set licence path <<<"${meta[${out%.*}]}"
    made["${out%.*}"]=1
    emit "$pkg" "$set" "$licence" "$path" "$pkg/$(basename "$out")" "$used" "$width" "$height" "$conversion"
    kept=$((kept + 1)); n_pkg=$((n_pkg + 1))
  done < <("$py" -c "$converter" "$magick" <"$jobs")
  for out in "${!meta[@]}"; do
    [[ -n "${made[$out]:-}" ]] || bad_file+=("$pkg/${meta[$out]##*$'\t'} (conversion failed)")
  done
  unset meta made
  rm -rf "${dest:?}/$pkg"
  mv "$dir/out/$pkg" "$dest/$pkg"
  rm -rf "$dir"
  note "$pkg $used: $n_pkg of ${#mine[@]} files"
done

# files of the old flat layout (plasma-*.jpg, mate-*.jpg at the top of DEST) would be trained on twice
while IFS= read -r -d '' f; do note "removing old-layout $(basename "$f")"; rm -f "$f"; done \
  < <(find "$dest" -maxdepth 1 -type f \( -name 'plasma-*' -o -name 'mate-*' \) -print0)

(( kept > 0 )) || die "no photo could be fetched; nothing written."
{ echo "$header"; LC_ALL=C sort "$manifest"; } >"$dest/manifest.tsv.tmp"
mv "$dest/manifest.tsv.tmp" "$dest/manifest.tsv"

# ---- summary -------------------------------------------------------------------------------------------------
echo "$kept photos in $dest ($reused already there), $(( SECONDS - start )) s"
tail -n +2 "$dest/manifest.tsv" | cut -f4 | sort | uniq -c | awk '{printf "  set %-8s %4d\n", $2, $1}'
echo "  packages: $(tail -n +2 "$dest/manifest.tsv" | cut -f2 | sort -u | wc -l)"
(( ${#fallback[@]} == 0 )) || printf '  newer version used: %s\n' "${fallback[@]}"
echo "  failed checksum: ${#bad_sum[@]}"
(( ${#bad_sum[@]} == 0 )) || printf '    %s\n' "${bad_sum[@]}"
echo "  missing or unconvertible files: ${#bad_file[@]}"
(( ${#bad_file[@]} == 0 )) || printf '    %s\n' "${bad_file[@]}"
echo "  packages missing: ${#missing_pkgs[@]}${missing_pkgs[*]:+ (${missing_pkgs[*]})}"
