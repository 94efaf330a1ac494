CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    username varchar(50),
    created_at timestamptz NOT NULL,
    deleted_at timestamptz,
    payload jsonb,
    region text COLLATE "C"
);

CREATE UNIQUE INDEX accounts_email_lower ON accounts (lower(email));
CREATE INDEX accounts_created ON accounts (created_at DESC);
CREATE INDEX accounts_username_pattern ON accounts (username varchar_pattern_ops);
CREATE INDEX accounts_active ON accounts (created_at) WHERE deleted_at IS NULL;
CREATE INDEX accounts_payload ON accounts USING gin (payload jsonb_path_ops);
CREATE INDEX ON accounts (username);
CREATE INDEX ON accounts (lower(username));
CREATE INDEX accounts_region ON accounts (region COLLATE "C" DESC NULLS LAST, id NULLS FIRST);
CREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_hash ON ONLY accounts USING hash (email);
CREATE INDEX accounts_cover ON accounts (created_at) INCLUDE (email, username) WITH (fillfactor = 80);
COMMENT ON INDEX accounts_created IS 'newest first';
