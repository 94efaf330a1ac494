CREATE TABLE categories (
    id integer PRIMARY KEY,
    parent_id integer REFERENCES categories (id) ON DELETE CASCADE,
    name text NOT NULL,
    UNIQUE (parent_id, name)
);
CREATE INDEX categories_parent ON categories (parent_id);
