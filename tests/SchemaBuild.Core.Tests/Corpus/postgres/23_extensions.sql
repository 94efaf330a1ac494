CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION pgcrypto;
CREATE SCHEMA ext;
CREATE EXTENSION hstore WITH SCHEMA ext;

CREATE TABLE logins (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email citext NOT NULL UNIQUE,
    attributes ext.hstore
);
