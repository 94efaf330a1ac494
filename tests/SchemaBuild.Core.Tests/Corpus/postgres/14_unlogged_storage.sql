CREATE UNLOGGED TABLE session_cache (
    key text PRIMARY KEY,
    value bytea,
    expires_at timestamptz
) WITH (fillfactor = 70, autovacuum_enabled = false);

CREATE TABLE hot_counters (
    id integer PRIMARY KEY,
    hits bigint NOT NULL DEFAULT 0
) WITH (fillfactor=50, toast.autovacuum_enabled=true);
