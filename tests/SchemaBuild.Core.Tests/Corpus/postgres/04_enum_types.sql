CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'cancelled');
CREATE TYPE "Priority" AS ENUM ('low', 'medium', 'high');

CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    status order_status NOT NULL DEFAULT 'pending',
    priority "Priority",
    history order_status[]
);
COMMENT ON TYPE order_status IS 'Lifecycle of an order';
