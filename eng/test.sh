#!/usr/bin/env bash
# The test command: installs what is missing, starts throwaway servers, runs every
# test project in the solution, stops the servers (also on failure) and ends with
# one line "N passed, N failed" counted from the test result files.
#
#   eng/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Parser]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

eng/setup.sh
results="$root/.tmp/test-results"
rm -rf "$results"; mkdir -p "$results"

trap 'eng/db.sh stop >/dev/null 2>&1 || true' EXIT
eng/db.sh start
eval "$(eng/db.sh env)"

status=0
# -m:1 runs the test projects one after another: they share one MariaDB, and the binlog tests
# need stretches without other suites' writes (a heartbeat only comes when the binlog is idle).
dotnet test SchemaBuild.sln -c Release --nologo -m:1 \
  --logger "trx" --results-directory "$results" "$@" || status=$?

passed=0; failed=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "test: no test ran" >&2; status=1
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] || status=1
exit "$status"
