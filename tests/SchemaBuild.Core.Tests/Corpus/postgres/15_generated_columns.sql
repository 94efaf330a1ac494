CREATE TABLE rectangles (
    id integer PRIMARY KEY,
    width numeric NOT NULL,
    height numeric NOT NULL,
    area numeric GENERATED ALWAYS AS (width * height) STORED,
    label varchar(50),
    label_lower text GENERATED ALWAYS AS (lower(label)) STORED,
    half_width numeric GENERATED ALWAYS AS ((width / 2)) STORED
);
