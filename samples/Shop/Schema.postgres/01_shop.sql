-- The Shop sample for PostgreSQL.
CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'cancelled');

CREATE TABLE customers (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL UNIQUE,
  display_name varchar(100) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE products (
  id bigserial PRIMARY KEY,
  sku varchar(64) NOT NULL,
  name text NOT NULL,
  price numeric(12,2) NOT NULL CHECK (price >= 0),
  tags text[] NOT NULL DEFAULT '{}',
  CONSTRAINT products_sku_key UNIQUE (sku)
);

CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id),
  status order_status NOT NULL DEFAULT 'pending',
  total numeric(12,2) NOT NULL DEFAULT 0,
  placed_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX orders_customer_placed_idx ON orders (customer_id, placed_at DESC);
CREATE INDEX orders_pending_idx ON orders (placed_at) WHERE status = 'pending';

CREATE TABLE order_lines (
  order_id bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  line_no smallint NOT NULL,
  product_id bigint NOT NULL REFERENCES products (id),
  quantity integer NOT NULL DEFAULT 1,
  unit_price numeric(12,2) NOT NULL,
  PRIMARY KEY (order_id, line_no)
);

CREATE INDEX order_lines_product_idx ON order_lines (product_id);

CREATE VIEW order_totals AS
  SELECT o.id, o.customer_id, sum(l.quantity * l.unit_price) AS total
  FROM orders o JOIN order_lines l ON l.order_id = o.id
  GROUP BY o.id, o.customer_id;

COMMENT ON TABLE customers IS 'People who can place orders';
