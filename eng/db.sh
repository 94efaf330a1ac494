#!/usr/bin/env bash
# Throwaway MariaDB 10.11 and PostgreSQL 15 servers for tests, on loopback ports,
# with all their files in one temporary folder. Never touches system services.
#
#   eng/db.sh start   start both servers (no-op for one already running)
#   eng/db.sh stop    stop both and delete the folder
#   eng/db.sh env     print export lines with the connection URLs
#
# Settings (environment): SCHEMABUILD_DB_DIR (default /tmp/schemabuild-db),
# SCHEMABUILD_MARIADB_PORT (33306), SCHEMABUILD_POSTGRES_PORT (55432).
set -euo pipefail

DIR="${SCHEMABUILD_DB_DIR:-/tmp/schemabuild-db}"
MY_PORT="${SCHEMABUILD_MARIADB_PORT:-33306}"
PG_PORT="${SCHEMABUILD_POSTGRES_PORT:-55432}"
# Test-only credentials for servers that live on loopback for one test run.
USER_NAME=schemabuild
USER_SECRET=schemabuild-test
PG_BIN=/usr/lib/postgresql/15/bin
PATH="$PATH:/usr/sbin:/usr/local/sbin"

log() { printf 'db: %s\n' "$*" >&2; }

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; else su postgres -s /bin/bash -c "$(printf '%q ' "$@")"; fi
}

make_tls() {
  local tls="$DIR/tls"
  [ -f "$tls/server-cert.pem" ] && return 0
  mkdir -p "$tls"
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=SchemaBuild Test CA" \
    -keyout "$tls/ca-key.pem" -out "$tls/ca-cert.pem" >/dev/null 2>&1
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
    -keyout "$tls/server-key.pem" -out "$tls/server-req.pem" >/dev/null 2>&1
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$tls/san.ext"
  openssl x509 -req -in "$tls/server-req.pem" -days 30 -CA "$tls/ca-cert.pem" -CAkey "$tls/ca-key.pem" \
    -CAcreateserial -extfile "$tls/san.ext" -out "$tls/server-cert.pem" >/dev/null 2>&1
  chmod 644 "$tls"/*.pem
}

mariadb_running() { [ -f "$DIR/mariadb/mariadbd.pid" ] && kill -0 "$(cat "$DIR/mariadb/mariadbd.pid")" 2>/dev/null; }
postgres_running() { [ -f "$DIR/postgres/data/postmaster.pid" ] && kill -0 "$(head -1 "$DIR/postgres/data/postmaster.pid")" 2>/dev/null; }

start_mariadb() {
  if mariadb_running; then log "MariaDB already running on port $MY_PORT"; return 0; fi
  local m="$DIR/mariadb"
  rm -rf "$m"; mkdir -p "$m/data" "$m/binlog"
  mariadb-install-db --user=root --datadir="$m/data" --auth-root-authentication-method=socket \
    --skip-test-db > "$m/install.log" 2>&1 || { cat "$m/install.log" >&2; return 1; }
  mariadbd --no-defaults --user=root --datadir="$m/data" --socket="$m/mariadb.sock" \
    --port="$MY_PORT" --bind-address=127.0.0.1 --pid-file="$m/mariadbd.pid" --log-error="$m/error.log" \
    --server-id=1 --log-bin="$m/binlog/mariadb-bin" --binlog-format=ROW --binlog-row-metadata=FULL \
    --log-slave-updates --gtid-strict-mode=1 --binlog-checksum=CRC32 \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
    --innodb-buffer-pool-size=256M --innodb-log-file-size=64M --max-connections=300 \
    --ssl-ca="$DIR/tls/ca-cert.pem" --ssl-cert="$DIR/tls/server-cert.pem" --ssl-key="$DIR/tls/server-key.pem" \
    --plugin-load-add=auth_ed25519 \
    > "$m/stdout.log" 2>&1 &
  for _ in $(seq 1 120); do
    [ -S "$m/mariadb.sock" ] && mariadb --no-defaults -uroot --socket="$m/mariadb.sock" -e 'SELECT 1' >/dev/null 2>&1 && break
    sleep 0.5
  done
  mariadb_running || { log "MariaDB did not start:"; tail -20 "$m/error.log" >&2; return 1; }
  # A fresh install has anonymous users that shadow TCP logins: drop them first.
  mariadb --no-defaults -uroot --socket="$m/mariadb.sock" <<SQL
DELETE FROM mysql.global_priv WHERE User = '';
FLUSH PRIVILEGES;
CREATE USER '$USER_NAME'@'127.0.0.1' IDENTIFIED BY '$USER_SECRET';
CREATE USER '$USER_NAME'@'localhost' IDENTIFIED BY '$USER_SECRET';
GRANT ALL PRIVILEGES ON *.* TO '$USER_NAME'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO '$USER_NAME'@'localhost' WITH GRANT OPTION;
CREATE DATABASE schemabuild;
SQL
  log "MariaDB $(mariadb --no-defaults -uroot --socket="$m/mariadb.sock" -N -e 'SELECT VERSION()') on 127.0.0.1:$MY_PORT"
}

start_postgres() {
  if postgres_running; then
    # A package upgrade under a running server leaves it loading the new modules into the old
    # binary (plpgsql, hstore: "undefined symbol"): restart it on a fresh folder instead.
    # dpkg keeps the packaged mtime, so the change time (%Z) says when the binary was installed.
    if [ "$(stat -c %Z "$PG_BIN/postgres")" -gt "$(stat -c %Y "$DIR/postgres/data/postmaster.pid")" ]; then
      log "PostgreSQL was upgraded under the running server; starting it again"
      as_postgres "$PG_BIN/pg_ctl" -D "$DIR/postgres/data" -m immediate -w stop >/dev/null 2>&1 || true
    else
      log "PostgreSQL already running on port $PG_PORT"; return 0
    fi
  fi
  local p="$DIR/postgres"
  rm -rf "$p"; mkdir -p "$p/socket"
  printf '%s\n' "$USER_SECRET" > "$p/pwfile"
  chown -R postgres: "$p"
  chmod 700 "$p"
  as_postgres "$PG_BIN/initdb" -D "$p/data" -U postgres --pwfile="$p/pwfile" --auth-local=trust \
    --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 > "$p/initdb.log" 2>&1 || { cat "$p/initdb.log" >&2; return 1; }
  cp "$DIR/tls/server-cert.pem" "$DIR/tls/server-key.pem" "$p/data/"
  chown postgres: "$p/data/server-cert.pem" "$p/data/server-key.pem"; chmod 600 "$p/data/server-key.pem"
  cat >> "$p/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$p/socket'
wal_level = logical
max_replication_slots = 20
max_wal_senders = 20
max_connections = 200
ssl = on
ssl_cert_file = 'server-cert.pem'
ssl_key_file = 'server-key.pem'
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
  as_postgres "$PG_BIN/pg_ctl" -D "$p/data" -l "$p/server.log" -w -t 60 start >/dev/null \
    || { log "PostgreSQL did not start:"; tail -20 "$p/server.log" >&2; return 1; }
  as_postgres psql -X -q -v ON_ERROR_STOP=1 -h "$p/socket" -p "$PG_PORT" -U postgres -d postgres \
    -c "CREATE ROLE $USER_NAME LOGIN SUPERUSER REPLICATION PASSWORD '$USER_SECRET'" \
    -c "CREATE DATABASE schemabuild OWNER $USER_NAME"
  log "PostgreSQL $(as_postgres psql -X -At -h "$p/socket" -p "$PG_PORT" -U postgres -d postgres -c 'SHOW server_version') on 127.0.0.1:$PG_PORT"
}

stop_all() {
  if mariadb_running; then
    kill "$(cat "$DIR/mariadb/mariadbd.pid")" 2>/dev/null || true
    for _ in $(seq 1 60); do mariadb_running || break; sleep 0.5; done
    mariadb_running && kill -9 "$(cat "$DIR/mariadb/mariadbd.pid")" 2>/dev/null || true
  fi
  if postgres_running; then
    as_postgres "$PG_BIN/pg_ctl" -D "$DIR/postgres/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$DIR"
  log "stopped; removed $DIR"
}

print_env() {
  cat <<ENV
export SCHEMABUILD_TEST_MARIADB='mariadb://$USER_NAME:$USER_SECRET@127.0.0.1:$MY_PORT/schemabuild'
export SCHEMABUILD_TEST_POSTGRES='postgres://$USER_NAME:$USER_SECRET@127.0.0.1:$PG_PORT/schemabuild'
export SCHEMABUILD_TEST_TLS_CA='$DIR/tls/ca-cert.pem'
export SCHEMABUILD_TEST_MARIADB_SOCKET='$DIR/mariadb/mariadb.sock'
export SCHEMABUILD_TEST_POSTGRES_SOCKET='$DIR/postgres/socket'
ENV
}

case "${1:-}" in
  start)
    mkdir -p "$DIR"; chmod 755 "$DIR"
    make_tls
    start_mariadb
    start_postgres
    ;;
  stop) stop_all ;;
  env) print_env ;;
  *) echo "usage: eng/db.sh start|stop|env" >&2; exit 2 ;;
esac
