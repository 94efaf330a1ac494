CREATE SCHEMA billing;
CREATE SCHEMA IF NOT EXISTS audit;

CREATE TYPE billing.currency AS ENUM ('EUR', 'USD', 'GBP');

CREATE TABLE billing.invoices (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    currency billing.currency NOT NULL,
    amount numeric(12,2) NOT NULL CHECK (amount >= 0)
);

CREATE TABLE audit.events (
    id bigserial PRIMARY KEY,
    invoice_id bigint REFERENCES billing.invoices (id),
    happened_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);
COMMENT ON SCHEMA billing IS 'Money matters';
