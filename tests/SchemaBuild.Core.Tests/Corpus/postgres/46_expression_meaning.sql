-- Expressions whose canonical text drops something the server needs: what deploys is what was written.
CREATE TYPE ticket_state AS ENUM ('open', 'closed', 'parked');

CREATE TABLE tickets (
    id integer PRIMARY KEY,
    state ticket_state NOT NULL DEFAULT 'open'::ticket_state,
    title text NOT NULL,
    title_key text GENERATED ALWAYS AS (NORMALIZE(title, NFKC)) STORED,
    weight integer DEFAULT ('7.5'::numeric)::integer,
    due date DEFAULT ('2021-03-04'::date + 10),
    score double precision DEFAULT 100.0,
    ratio real DEFAULT 0.250,
    big double precision DEFAULT 1e20,
    archived boolean DEFAULT 'false',
    flagged boolean DEFAULT 'yes',
    note varchar(20) DEFAULT 'n/a'::character varying,
    opened_at timestamp DEFAULT ('2021-01-01 00:00'::timestamp + interval '1 day'),
    CONSTRAINT tickets_state_known CHECK (state = ANY (ARRAY['open'::ticket_state, 'closed'::ticket_state])),
    CONSTRAINT tickets_title_normal CHECK (title IS NFC NORMALIZED OR NORMALIZE(title, NFD) <> ''),
    CONSTRAINT tickets_weight CHECK (weight::numeric < '99.5'::numeric),
    CONSTRAINT tickets_due CHECK (due > '2000-01-01'::date + 1)
);

CREATE INDEX tickets_open_idx ON tickets (title) WHERE state = 'open'::ticket_state;
CREATE INDEX tickets_normal_idx ON tickets ((NORMALIZE(title, NFKD)));
CREATE INDEX tickets_due_idx ON tickets (((due - '2000-01-01'::date)));

CREATE VIEW open_tickets AS
    SELECT t.id, t.title, t.state::text AS state_name, (t.due + 1) AS next_day, '3'::numeric::integer AS three
    FROM tickets t
    WHERE t.state = ANY (ARRAY['open'::ticket_state, 'parked'::ticket_state]) AND t.due > '2020-06-01'::date - 3;
