CREATE TABLE nodes (
    id integer PRIMARY KEY,
    next_id integer,
    position integer NOT NULL,
    CONSTRAINT nodes_position_key UNIQUE (position) DEFERRABLE INITIALLY IMMEDIATE,
    CONSTRAINT nodes_next FOREIGN KEY (next_id) REFERENCES nodes (id) DEFERRABLE
);
