CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE articles (
    id serial PRIMARY KEY,
    title text NOT NULL,
    body text,
    search tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, coalesce(title, '') || ' ' || coalesce(body, ''))) STORED
);
CREATE INDEX articles_title_trgm ON articles USING gin (title gin_trgm_ops);
CREATE INDEX articles_search ON articles USING gin (search);
