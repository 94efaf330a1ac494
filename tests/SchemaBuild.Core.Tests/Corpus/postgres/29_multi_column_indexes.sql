CREATE TABLE events (
    id bigint PRIMARY KEY,
    tenant_id integer NOT NULL,
    kind text NOT NULL,
    occurred_at timestamptz NOT NULL,
    payload jsonb
);
CREATE INDEX events_tenant_time ON events (tenant_id, occurred_at DESC);
CREATE INDEX ON events (tenant_id, kind, occurred_at);
CREATE UNIQUE INDEX events_dedupe ON events (tenant_id, (payload ->> 'external_id')) WHERE payload ? 'external_id';
CREATE INDEX events_kind_brin ON events USING brin (occurred_at) WITH (pages_per_range = 32);
CREATE INDEX events_payload_path ON events USING gin ((payload -> 'tags'));
CREATE UNIQUE INDEX events_nulls ON events (kind) NULLS NOT DISTINCT;
