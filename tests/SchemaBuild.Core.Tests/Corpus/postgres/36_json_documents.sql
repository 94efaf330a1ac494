CREATE TABLE json_docs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    doc jsonb NOT NULL DEFAULT '{}'::jsonb,
    meta json,
    kind text GENERATED ALWAYS AS (doc ->> 'kind') STORED,
    CHECK (jsonb_typeof(doc) = 'object'),
    CHECK (doc ? 'version')
);
CREATE INDEX json_docs_doc ON json_docs USING gin (doc);
CREATE INDEX json_docs_kind ON json_docs ((doc ->> 'kind'), id);
CREATE INDEX json_docs_version ON json_docs (((doc -> 'version')::integer));
