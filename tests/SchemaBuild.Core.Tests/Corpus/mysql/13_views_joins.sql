-- Views with joins, grouping and ordering.
CREATE TABLE authors (
  id INT NOT NULL PRIMARY KEY,
  name VARCHAR(100) NOT NULL
);

CREATE TABLE books (
  id INT NOT NULL PRIMARY KEY,
  author_id INT NOT NULL,
  title VARCHAR(200) NOT NULL,
  pages INT,
  published YEAR,
  FOREIGN KEY (author_id) REFERENCES authors (id)
);

CREATE VIEW book_list AS
  SELECT b.id, b.title, a.name AS author
  FROM books b JOIN authors a ON a.id = b.author_id;

CREATE VIEW author_stats AS
  SELECT a.id, a.name, COUNT(*) AS book_count, SUM(b.pages) AS total_pages
  FROM authors a LEFT JOIN books b ON b.author_id = a.id
  GROUP BY a.id, a.name
  HAVING COUNT(*) > 0
  ORDER BY a.name;

CREATE VIEW recent_books AS
  SELECT title, published FROM books WHERE published >= 2000 ORDER BY published DESC LIMIT 10;
