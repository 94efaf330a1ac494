#!/usr/bin/env bash
# Packs the SchemaBuild package into a local feed that samples/Shop (and any local project) restores from.
#   eng/pack.sh [FEED_DIR]     default: artifacts/feed
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
feed="${1:-$root/artifacts/feed}"
mkdir -p "$feed"
dotnet pack "$root/src/Package/SchemaBuild.Package.csproj" -c Release -o "$feed" -nodeReuse:false --nologo -v:q
# A rebuilt package keeps its version: drop the cached copy so restores pick up this build.
version="$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' "$root/Directory.Build.props")"
cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}/schemabuild/$version"
rm -rf "$cache"
echo "packed $feed/SchemaBuild.$version.nupkg"
