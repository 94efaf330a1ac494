-- Invisible columns and ignored indexes (MariaDB).
CREATE TABLE api_clients (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(80) NOT NULL,
  secret_hash CHAR(64) INVISIBLE,
  row_version INT NOT NULL DEFAULT 0 INVISIBLE,
  created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY idx_created (created) IGNORED,
  KEY idx_name (name) NOT IGNORED
);
