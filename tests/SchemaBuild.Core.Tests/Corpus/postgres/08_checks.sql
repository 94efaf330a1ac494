CREATE TABLE products (
    id integer PRIMARY KEY,
    sku varchar(32) NOT NULL,
    price numeric(10,2) CHECK (price > 0),
    discount numeric(5,2) DEFAULT 0 CHECK (discount BETWEEN 0 AND 100),
    stock integer NOT NULL DEFAULT 0,
    min_stock integer,
    CONSTRAINT products_stock_sane CHECK (stock >= 0 AND (min_stock IS NULL OR min_stock <= stock)),
    CHECK (sku <> ''),
    CHECK (char_length(sku) <= 32) NO INHERIT,
    CHECK (price < 100000 OR stock = 0)
);
