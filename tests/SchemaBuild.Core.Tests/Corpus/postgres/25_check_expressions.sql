CREATE TABLE bookings (
    id integer PRIMARY KEY,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    kind text NOT NULL,
    seats integer NOT NULL,
    code varchar(10),
    CONSTRAINT bookings_range CHECK (ends_at > starts_at),
    CONSTRAINT bookings_kind CHECK (kind IN ('single', 'double', 'suite')),
    CONSTRAINT bookings_seats CHECK (seats NOT BETWEEN 100 AND 200),
    CONSTRAINT bookings_code CHECK (code ~ '^[A-Z]+$' AND length(code) >= 3),
    CONSTRAINT bookings_code_like CHECK (code NOT LIKE 'X%'),
    CONSTRAINT bookings_code_in CHECK (code IN ('AAA', 'BBB') OR code IS NULL)
);
