CREATE TABLE sales (
    id integer PRIMARY KEY,
    region text NOT NULL,
    amount numeric(12,2) NOT NULL,
    sold_on date NOT NULL
);

CREATE MATERIALIZED VIEW sales_by_region AS
    SELECT region, sum(amount) AS total, count(*) FROM sales GROUP BY region
    WITH NO DATA;

CREATE MATERIALIZED VIEW recent_sales AS
    SELECT s.id, s.amount FROM sales s WHERE s.sold_on > '2024-01-01';

CREATE INDEX sales_by_region_region ON sales_by_region (region);
COMMENT ON MATERIALIZED VIEW recent_sales IS 'since 2024';
CREATE UNIQUE INDEX recent_sales_id ON recent_sales (id);
CREATE INDEX ON recent_sales USING btree ((amount * 2)) WHERE amount > 0;
COMMENT ON INDEX recent_sales_id IS 'one row per sale';
