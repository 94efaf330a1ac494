CREATE TABLE authors (
    id integer PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE books (
    id integer PRIMARY KEY,
    author_id integer REFERENCES authors (id),
    title text NOT NULL,
    pages integer
);

CREATE VIEW book_list AS
    SELECT b.id, b.title, a.name AS author
    FROM books b
    JOIN authors a ON a.id = b.author_id
    WHERE b.pages > 10;

CREATE VIEW authors_without_books AS
    SELECT a.id, a.name
    FROM authors a
    LEFT JOIN books b ON b.author_id = a.id
    WHERE b.id IS NULL;
