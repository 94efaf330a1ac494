-- A foreign key reuses an index that leads with its columns; otherwise InnoDB adds one.
CREATE TABLE warehouses (
  id INT NOT NULL PRIMARY KEY,
  code VARCHAR(10) NOT NULL
);

CREATE TABLE stock_levels (
  warehouse_id INT NOT NULL,
  product_id INT NOT NULL,
  alt_warehouse_id INT,
  quantity INT NOT NULL DEFAULT 0,
  PRIMARY KEY (warehouse_id, product_id),
  KEY idx_product (product_id),
  FOREIGN KEY (warehouse_id) REFERENCES warehouses (id),
  FOREIGN KEY fk_alt (alt_warehouse_id) REFERENCES warehouses (id)
);
