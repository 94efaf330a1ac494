-- CHECK constraints: named, unnamed (CONSTRAINT_N) and on the column line.
CREATE TABLE products (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  sku VARCHAR(32) NOT NULL,
  price DECIMAL(10,2) NOT NULL CHECK (price >= 0),
  discount DECIMAL(5,2) DEFAULT NULL,
  stock INT NOT NULL DEFAULT 0,
  CONSTRAINT chk_discount CHECK (discount IS NULL OR (discount >= 0 AND discount <= 100)),
  CHECK (stock >= 0),
  CONSTRAINT chk_sku CHECK (CHAR_LENGTH(sku) > 3)
);
