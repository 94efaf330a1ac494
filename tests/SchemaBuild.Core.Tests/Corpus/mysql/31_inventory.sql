-- Inventory with unsigned quantities, checks and a reporting view.
CREATE TABLE suppliers (
  id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(120) NOT NULL,
  country CHAR(2) NOT NULL DEFAULT 'DE',
  rating TINYINT CHECK (rating BETWEEN 1 AND 5)
);

CREATE TABLE parts (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  supplier_id SMALLINT UNSIGNED NOT NULL,
  part_no VARCHAR(30) NOT NULL,
  unit_cost DECIMAL(9,4) NOT NULL DEFAULT 0.0000,
  on_hand INT UNSIGNED NOT NULL DEFAULT 0,
  reorder_level INT UNSIGNED NOT NULL DEFAULT 10,
  UNIQUE KEY uq_supplier_part (supplier_id, part_no),
  CONSTRAINT fk_parts_supplier FOREIGN KEY (supplier_id) REFERENCES suppliers (id),
  CONSTRAINT chk_reorder CHECK (reorder_level >= 0 AND reorder_level < 100000)
);

CREATE VIEW parts_to_reorder AS
  SELECT p.part_no, s.name AS supplier, p.on_hand, p.reorder_level
  FROM parts p JOIN suppliers s ON s.id = p.supplier_id
  WHERE p.on_hand < p.reorder_level;
