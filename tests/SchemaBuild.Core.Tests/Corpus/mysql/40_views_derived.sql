-- Views with a derived table, UNION and star expansion.
CREATE TABLE sales_2023 (
  id INT NOT NULL PRIMARY KEY,
  region VARCHAR(20) NOT NULL,
  amount DECIMAL(12,2) NOT NULL
);

CREATE TABLE sales_2024 (
  id INT NOT NULL PRIMARY KEY,
  region VARCHAR(20) NOT NULL,
  amount DECIMAL(12,2) NOT NULL
);

CREATE VIEW all_sales AS
  SELECT id, region, amount FROM sales_2023
  UNION ALL
  SELECT id, region, amount FROM sales_2024;

CREATE VIEW sales_copy AS SELECT * FROM sales_2024;

CREATE VIEW big_regions AS
  SELECT t.region, t.total FROM (SELECT region, SUM(amount) AS total FROM sales_2024 GROUP BY region) AS t
  WHERE t.total > 1000;
