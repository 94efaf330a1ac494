-- Self-referencing tree and the implicit index for the parent key.
CREATE TABLE categories (
  id INT NOT NULL AUTO_INCREMENT,
  parent_id INT DEFAULT NULL,
  name VARCHAR(100) NOT NULL,
  sort_order SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  CONSTRAINT fk_categories_parent FOREIGN KEY (parent_id) REFERENCES categories (id) ON DELETE SET NULL
);
