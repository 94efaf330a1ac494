CREATE TABLE ledger (
    id bigint PRIMARY KEY,
    debit numeric(18,4) NOT NULL DEFAULT 0,
    credit numeric(18,4) NOT NULL DEFAULT 0.0000,
    rate numeric(7,6),
    total numeric,
    ratio double precision,
    weight real DEFAULT 0.5,
    balance money,
    CHECK (debit >= 0 AND credit >= 0),
    CHECK (rate BETWEEN 0 AND 1)
);
