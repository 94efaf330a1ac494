CREATE TABLE labels (
    id integer PRIMARY KEY,
    name text COLLATE "C" NOT NULL,
    title varchar(100) COLLATE "POSIX",
    note text COLLATE pg_catalog."default"
);
CREATE INDEX labels_name_posix ON labels (name COLLATE "POSIX");
CREATE INDEX labels_title ON labels (title);
