CREATE TABLE notes (
    id integer PRIMARY KEY,
    body text NOT NULL,
    author text
);
COMMENT ON TABLE notes IS 'Free-form notes; it''s fine to quote';
COMMENT ON COLUMN notes.body IS 'The note itself';
COMMENT ON COLUMN notes.author IS E'Line one\nLine two';
COMMENT ON COLUMN notes.id IS NULL;
