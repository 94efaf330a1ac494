#!/usr/bin/env bash
# Regenerates PublicAPI.Unshipped.txt of the libraries users compile against (Core, the replication
# library, Runtime) from the code, after a change to their public surface, then builds them to check.
# Review the diff of PublicAPI.*.txt: every line is a public type or member users can depend on.
#   eng/public-api.sh
# Works offline: dotnet format applies the PublicApiAnalyzers fixes (RS0016 adds, RS0017 removes).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
for project in src/Core/SchemaBuild.Core.csproj src/MySqlReplication/SchemaBuild.MySqlReplication.csproj src/Runtime/SchemaBuild.Runtime.csproj; do
  dir="$root/$(dirname "$project")"
  [ -f "$dir/PublicAPI.Shipped.txt" ] || printf '#nullable enable\n' > "$dir/PublicAPI.Shipped.txt"
  # From scratch: whatever the code declares public and Shipped does not list.
  printf '#nullable enable\n' > "$dir/PublicAPI.Unshipped.txt"
  dotnet format analyzers "$root/$project" --diagnostics RS0016 RS0017 --severity warn -v:q
  # Stable order, so a regenerated file only differs where the API does.
  { head -1 "$dir/PublicAPI.Unshipped.txt"; tail -n +2 "$dir/PublicAPI.Unshipped.txt" | LC_ALL=C sort -u; } > "$dir/PublicAPI.Unshipped.txt.tmp"
  mv "$dir/PublicAPI.Unshipped.txt.tmp" "$dir/PublicAPI.Unshipped.txt"
  echo "public-api: $(($(wc -l < "$dir/PublicAPI.Unshipped.txt") - 1)) unshipped entries in ${project%/*}/PublicAPI.Unshipped.txt"
done
# The baselines must now match: any RS00xx left is an API rule to fix in the code (see the message).
dotnet build "$root/src/Runtime/SchemaBuild.Runtime.csproj" -c Release -nodeReuse:false --nologo -v:q -clp:ErrorsOnly
