CREATE TABLE line_items (
    id integer NOT NULL,
    order_ref text
);
CREATE SEQUENCE line_items_id_seq AS integer OWNED BY line_items.id;
