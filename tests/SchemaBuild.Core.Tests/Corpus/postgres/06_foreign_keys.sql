CREATE TABLE customers (
    id integer PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE addresses (
    id integer PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers ON DELETE CASCADE,
    line1 text NOT NULL
);

CREATE TABLE shipments (
    id integer PRIMARY KEY,
    customer_id integer,
    address_id integer,
    CONSTRAINT shipments_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON UPDATE CASCADE ON DELETE SET NULL,
    FOREIGN KEY (address_id) REFERENCES addresses (id) ON DELETE RESTRICT DEFERRABLE INITIALLY DEFERRED
);
