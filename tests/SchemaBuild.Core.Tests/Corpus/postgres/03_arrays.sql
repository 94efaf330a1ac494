CREATE TABLE documents (
    id bigint PRIMARY KEY,
    tags text[] NOT NULL DEFAULT '{}',
    scores integer[],
    matrix int[][],
    ratings numeric(3,1) ARRAY,
    labels varchar(20)[3],
    flags boolean[] DEFAULT ARRAY[]::boolean[]
);
