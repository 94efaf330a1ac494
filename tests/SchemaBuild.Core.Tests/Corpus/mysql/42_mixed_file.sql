-- Several tables in one file, declared child-first: order in the file does not matter to the model.
SET FOREIGN_KEY_CHECKS = 0;

CREATE TABLE invoice_items (
  invoice_id INT NOT NULL,
  position SMALLINT UNSIGNED NOT NULL,
  description VARCHAR(255) NOT NULL,
  amount DECIMAL(10,2) NOT NULL,
  PRIMARY KEY (invoice_id, position),
  CONSTRAINT fk_items_invoice FOREIGN KEY (invoice_id) REFERENCES invoice_headers (id) ON DELETE CASCADE
);

CREATE TABLE invoice_headers (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  number VARCHAR(20) NOT NULL UNIQUE,
  issued DATE NOT NULL
);

SET FOREIGN_KEY_CHECKS = 1;
