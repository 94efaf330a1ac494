#!/usr/bin/env bash
# Packs the three SchemaBuild packages into a local feed that samples/Shop (and any local project) restores from:
#   SchemaBuild          (src/Package)  the MSBuild task, analyzers and generator
#   SchemaBuild.Runtime  (src/Runtime)  the deploy engine as a library, Core and the replication library bundled
#   SchemaBuild.Tool     (src/Cli)      the .NET tool: dotnet schema
#   eng/pack.sh [FEED_DIR]     default: artifacts/feed
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
feed="${1:-$root/artifacts/feed}"
mkdir -p "$feed"
version="$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' "$root/Directory.Build.props")"
cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
for project in src/Package/SchemaBuild.Package.csproj src/Runtime/SchemaBuild.Runtime.csproj src/Cli/SchemaBuild.Cli.csproj; do
  dotnet pack "$root/$project" -c Release -o "$feed" -nodeReuse:false --nologo -v:q
done
for id in SchemaBuild SchemaBuild.Runtime SchemaBuild.Tool; do
  [ -f "$feed/$id.$version.nupkg" ] || { echo "pack: $feed/$id.$version.nupkg was not written" >&2; exit 1; }
  # A rebuilt package keeps its version: drop the cached copy so restores pick up this build.
  rm -rf "$cache/${id,,}/$version"
  echo "packed $feed/$id.$version.nupkg"
done
