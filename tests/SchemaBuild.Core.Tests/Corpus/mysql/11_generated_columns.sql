-- Virtual and stored generated columns with expressions the server rewrites.
CREATE TABLE invoices (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  net DECIMAL(12,2) NOT NULL,
  tax_rate DECIMAL(4,2) NOT NULL DEFAULT 19.00,
  gross DECIMAL(12,2) AS (net * (1 + tax_rate / 100)) STORED,
  customer_name VARCHAR(100) NOT NULL,
  name_upper VARCHAR(100) GENERATED ALWAYS AS (UPPER(customer_name)) VIRTUAL,
  name_lower VARCHAR(100) AS (lower(customer_name)),
  issued DATETIME NOT NULL,
  issued_day DATE AS (DATE(issued)) PERSISTENT,
  issued_year INT AS (YEAR(issued)) VIRTUAL,
  due DATETIME AS (issued + INTERVAL 30 DAY) VIRTUAL,
  is_large TINYINT(1) AS (net > 10000) VIRTUAL,
  KEY idx_gross (gross)
);
