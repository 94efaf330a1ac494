#!/usr/bin/env bash
# The main job: compile the sample Shop schema with the dotnet schema command and print
# what SchemaBuild understood it to mean (normalized, canonical SQL) and its diagnostics.
#
#   eng/demo.sh            the MariaDB sample (samples/Shop/Schema)
#   eng/demo.sh --postgres the PostgreSQL sample (samples/Shop/Schema.postgres)
set -euo pipefail
cd "$(dirname "$0")/.."

schema=samples/Shop/Schema
dialect=mariadb
if [ "${1:-}" = "--postgres" ]; then
  schema=samples/Shop/Schema.postgres
  dialect=postgres
fi

dotnet build src/Cli -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet src/Cli/bin/Release/net10.0/dotnet-schema.dll show --schema "$schema" --dialect "$dialect"

echo
echo "== the deployment plan for an empty database (plan.md, as a pull request shows it)"
dotnet src/Cli/bin/Release/net10.0/dotnet-schema.dll plan --schema "$schema" --dialect "$dialect" --format markdown
