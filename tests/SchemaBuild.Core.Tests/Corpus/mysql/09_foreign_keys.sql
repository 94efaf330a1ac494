-- Foreign keys: named, unnamed (table_ibfk_N), actions, and the index InnoDB adds.
CREATE TABLE customers (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(100) NOT NULL
);

CREATE TABLE orders (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  customer_id INT NOT NULL,
  billing_customer_id INT,
  referrer_id INT,
  placed_at DATETIME NOT NULL,
  CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE ON UPDATE CASCADE,
  FOREIGN KEY (billing_customer_id) REFERENCES customers (id) ON DELETE SET NULL,
  FOREIGN KEY (referrer_id) REFERENCES customers (id) ON DELETE RESTRICT ON UPDATE NO ACTION,
  KEY idx_orders_placed (placed_at)
);

CREATE TABLE order_lines (
  order_id INT NOT NULL,
  line_no SMALLINT NOT NULL,
  sku VARCHAR(40) NOT NULL,
  quantity INT NOT NULL DEFAULT 1,
  PRIMARY KEY (order_id, line_no),
  FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE
);
