CREATE SEQUENCE invoice_numbers;
CREATE SEQUENCE IF NOT EXISTS batch_ids AS integer START WITH 100 INCREMENT BY 5 MINVALUE 100 MAXVALUE 1000000 CACHE 10;
CREATE SEQUENCE countdown INCREMENT BY -1;
CREATE SEQUENCE small_cycle AS smallint NO MINVALUE NO MAXVALUE CYCLE;

CREATE TABLE invoices (
    id bigint PRIMARY KEY DEFAULT nextval('invoice_numbers'),
    batch integer DEFAULT nextval('public.batch_ids'::regclass)
);
COMMENT ON SEQUENCE countdown IS 'counts down';
