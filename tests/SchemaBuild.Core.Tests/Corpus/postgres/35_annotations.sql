-- schema:allow SB6001 audit_log "append-only table without a key"
-- schema:renamed-from customer_accounts
CREATE TABLE accounts_v2 (
    id integer PRIMARY KEY,
    -- schema:deprecated "use contact_email"
    email text,
    contact_email text, -- schema:renamed-from mail
    name text NOT NULL
);

CREATE TABLE audit_log (
    at timestamptz NOT NULL DEFAULT now(),
    message text NOT NULL
);
