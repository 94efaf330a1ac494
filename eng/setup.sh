#!/usr/bin/env bash
# Installs what SchemaBuild's tests, demo and benchmarks need on Debian 12 with
# only the .NET SDK present. Idempotent: a second run installs nothing.
set -euo pipefail

need=()
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

for pkg in mariadb-server mariadb-client postgresql-15 postgresql-client-15 percona-toolkit postgresql-15-repack openssl; do
  have_pkg "$pkg" || need+=("$pkg")
done

if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  # Package scripts must not start system-wide services: the tests run their own
  # throwaway servers (eng/db.sh). policy-rc.d 101 tells invoke-rc.d "do not start".
  policy=/usr/sbin/policy-rc.d
  created_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo_cmd tee "$policy" >/dev/null
    $sudo_cmd chmod +x "$policy"
    created_policy=1
  fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  [ "$created_policy" -eq 0 ] || $sudo_cmd rm -f "$policy"
fi

for cmd in mariadbd mariadb-install-db mariadb /usr/lib/postgresql/15/bin/initdb /usr/lib/postgresql/15/bin/pg_ctl psql pg_dump openssl; do
  have_cmd "$cmd" || [ -x "$cmd" ] || [ -x "/usr/sbin/$cmd" ] || { echo "setup: $cmd is still missing after install" >&2; exit 1; }
done
echo "setup: ok"
