#!/usr/bin/env bash
# Packs the libraries a consumer references (Inpaint.Packages.slnf) into a folder feed, with symbols (.snupkg).
# The version comes from git tags (MinVer, tag prefix v; see docs/packages.md). Usage: scripts/pack.sh [OUT] (default artifacts/packages)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-artifacts/packages}"
dotnet pack Inpaint.Packages.slnf -c Release -o "$out" -p:ContinuousIntegrationBuild=true
ls -l "$out"
