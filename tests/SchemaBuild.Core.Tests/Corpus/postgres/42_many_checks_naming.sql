-- Several unnamed checks on one column get numbered names.
CREATE TABLE measurements (
    id integer PRIMARY KEY,
    value integer CHECK (value > 0) CHECK (value < 1000),
    low integer,
    high integer,
    CHECK (low < high),
    CHECK (true),
    CHECK (value <> 500)
);
