#!/usr/bin/env bash
# Self-contained binaries of the inpaint command and the server for users without the .NET SDK: one folder per
# platform with a single-file executable (the .NET runtime and the CPU build of ONNX Runtime inside) and the shipped
# models beside it. Usage: scripts/publish-binaries.sh [RID ...] (default: linux-x64 linux-arm64 osx-arm64 win-x64)
# Writes artifacts/binaries/{inpaint,inpaint-server}-RID/ and prints each folder's size.
set -euo pipefail
cd "$(dirname "$0")/.."
rids=("$@")
[ ${#rids[@]} -eq 0 ] && rids=(linux-x64 linux-arm64 osx-arm64 win-x64)
failed=()
for rid in "${rids[@]}"; do
    for app in OnnxInpaint.Cli:inpaint OnnxInpaint.Server:inpaint-server; do
        project="${app%%:*}" name="${app##*:}" out="artifacts/binaries/${app##*:}-$rid"
        rm -rf "$out"
        # Its own build folder per platform: the repository's (GPU) build stays as it is. The libraries are built for
        # net10.0 only (their net8.0 target would need the 8.0 runtime packs of every platform).
        if dotnet publish "src/$project" -c Release -r "$rid" --self-contained -p:PublishSingleFile=true \
               -p:IncludeNativeLibrariesForSelfExtract=true -p:InpaintOnnxRuntime=cpu -p:DebugType=none -p:PublishDocumentationFiles=false -p:TargetFrameworks=net10.0 \
               --artifacts-path "artifacts/publish-build/$rid" -o "$out" >"artifacts/publish-$name-$rid.log" 2>&1; then
            echo "$out: $(du -sh "$out" | cut -f1) ($(du -sh "$out/models" | cut -f1) of it the models)"
        else
            echo "$out: FAILED, see artifacts/publish-$name-$rid.log" >&2
            failed+=("$name-$rid")
        fi
    done
done
[ ${#failed[@]} -eq 0 ] || { echo "failed: ${failed[*]}" >&2; exit 1; }
