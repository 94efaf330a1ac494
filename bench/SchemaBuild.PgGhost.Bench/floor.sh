#!/usr/bin/env bash
# The floor of a triggerless logical-decoding copy of the bench's table (docs/ghost-copy-postgres.md,
# "Performance"): on the same seeded table, in one run, each step timed against native ALTER:
#   native  ALTER TABLE … TYPE bigint
#   pipe    COPY (SELECT …) TO STDOUT | COPY shadow FROM STDIN through two psql processes (no slot)
#   slot    the same while a pgoutput slot on a publication of the original is consumed by
#           pg_recvlogical, until its walsender has read the copy's WAL (sent_lsn)
#   chunked the same in key ranges of 100k rows, a transaction each (as the ghost copy's chunks are
#           at most): one 1M-row transaction spills its decoded changes to disk
#   +pk     chunked plus the shadow's primary key build (and its WAL read by the walsender)
# Each step also shows what the slot's decoding spilled to disk (pg_stat_replication_slots).
# Usage: eval "$(eng/db.sh env)"; bench/SchemaBuild.PgGhost.Bench/floor.sh [ROWS] [REPEATS]
set -euo pipefail
rows=${1:-1000000}
repeats=${2:-3}
url=${SCHEMABUILD_TEST_POSTGRES:?eval "\$(eng/db.sh env)" first}
db=sb_pgfloor_$$
base=${url%/*}
dburl=$base/$db
slot=sb_floor_$$
psql -q "$url" -c "CREATE DATABASE $db"
cleanup() {
  [[ -n ${recv:-} ]] && kill "$recv" 2>/dev/null || true
  psql -q "$url" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
}
trap cleanup EXIT
q() { psql -qAtX -v ON_ERROR_STOP=1 "$dburl" <<<"$1;"; }
now() { date +%s.%N; }
copy_pipe() {
  psql -qAtX "$dburl" -c "COPY (SELECT id, CAST(n AS bigint), note FROM items) TO STDOUT" |
    psql -qAtX "$dburl" -c "COPY shadow (id, n, note) FROM STDIN"
}
copy_chunked() {
  local from
  for ((from = 0; from < rows; from += 100000)); do
    psql -qAtX "$dburl" -c "COPY (SELECT id, CAST(n AS bigint), note FROM items WHERE id > $from AND id <= $((from + 100000))) TO STDOUT" |
      psql -qAtX "$dburl" -c "COPY shadow (id, n, note) FROM STDIN"
  done
}
spilled() { q "SELECT (coalesce(sum(spill_bytes), 0) / 1048576)::bigint FROM pg_stat_replication_slots WHERE slot_name = '$slot'"; }
wait_decoded() { # until the walsender has read up to the current WAL position
  local target
  target=$(q "SELECT pg_current_wal_lsn()")
  until [[ $(q "SELECT coalesce(bool_or(sent_lsn >= '$target'), false) FROM pg_stat_replication WHERE application_name = 'pg_recvlogical'") == t ]]; do sleep 0.05; done
}

q "CREATE TABLE items (id bigint PRIMARY KEY, n integer NOT NULL, note text);
   INSERT INTO items SELECT g, g % 100000, 'row ' || g FROM generate_series(1, $rows) g;
   VACUUM ANALYZE items;
   CREATE PUBLICATION pub FOR TABLE items"
q "SELECT pg_create_logical_replication_slot('$slot', 'pgoutput')" >/dev/null
PGPASSWORD=$(sed -E 's#.*://[^:]*:([^@]*)@.*#\1#' <<<"$url") pg_recvlogical -d "$dburl" -S "$slot" --start -o proto_version=1 -o publication_names=pub -f /dev/null -s 1 &
recv=$!
sleep 1

for r in $(seq "$repeats"); do
  q "SET client_min_messages = warning; DROP TABLE IF EXISTS native; CREATE TABLE native (LIKE items INCLUDING ALL); INSERT INTO native SELECT * FROM items; VACUUM ANALYZE native; CHECKPOINT"
  wait_decoded
  kill -STOP "$recv" # as in the bench, native ALTER runs without a slot being read
  t0=$(now); q "ALTER TABLE native ALTER COLUMN n TYPE bigint"; t1=$(now)
  kill -CONT "$recv"; wait_decoded; t1d=$(now)
  native=$(echo "$t1 - $t0" | bc); native_tail=$(echo "$t1d - $t1" | bc)

  q "SET client_min_messages = warning; DROP TABLE IF EXISTS shadow; CREATE TABLE shadow (id bigint NOT NULL, n bigint NOT NULL, note text); CHECKPOINT"
  kill -STOP "$recv"
  t0=$(now); copy_pipe; t1=$(now)
  kill -CONT "$recv"; wait_decoded
  pipe=$(echo "$t1 - $t0" | bc)

  q "DROP TABLE shadow; CREATE TABLE shadow (id bigint NOT NULL, n bigint NOT NULL, note text); CHECKPOINT"
  wait_decoded; s0=$(spilled)
  t0=$(now); copy_pipe; t1=$(now); wait_decoded; t2=$(now)
  slotted=$(echo "$t2 - $t0" | bc); decode_tail=$(echo "$t2 - $t1" | bc); spill1=$(( $(spilled) - s0 ))

  q "DROP TABLE shadow; CREATE TABLE shadow (id bigint NOT NULL, n bigint NOT NULL, note text); CHECKPOINT"
  wait_decoded; s0=$(spilled)
  t0=$(now); copy_chunked; t1=$(now); wait_decoded; t2=$(now)
  chunked=$(echo "$t2 - $t0" | bc); chunked_tail=$(echo "$t2 - $t1" | bc); spill2=$(( $(spilled) - s0 ))
  t0k=$(now); q "ALTER TABLE shadow ADD PRIMARY KEY (id)"; wait_decoded; t3=$(now)
  key=$(echo "$t3 - $t0k" | bc)
  total=$(echo "$t3 - $t0" | bc)
  printf 'run %d: native %.2f s (its WAL decoded by the slot in %.2f s after) | pipe %.2f s (%.2fx) | slot %.2f s (%.2fx; decoding after the copy %.2f s; spilled %d MB) | chunked %.2f s (%.2fx; after %.2f s; spilled %d MB) | +pk %.2f s (%.2fx; pk %.2f s) | load %s\n' \
    "$r" "$native" "$native_tail" "$pipe" "$(echo "$pipe / $native" | bc -l)" "$slotted" "$(echo "$slotted / $native" | bc -l)" "$decode_tail" "$spill1" \
    "$chunked" "$(echo "$chunked / $native" | bc -l)" "$chunked_tail" "$spill2" "$total" "$(echo "$total / $native" | bc -l)" "$key" "$(cut -d' ' -f1 /proc/loadavg)"
done
kill "$recv"; wait "$recv" 2>/dev/null || true; recv=
q "SELECT pg_drop_replication_slot('$slot')" >/dev/null
