-- Literal and expression defaults in the spellings the server rewrites.
CREATE TABLE preferences (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  theme VARCHAR(20) NOT NULL DEFAULT "light",
  font_size TINYINT UNSIGNED NOT NULL DEFAULT '14',
  zoom DECIMAL(4,2) DEFAULT 1,
  opacity FLOAT DEFAULT 0.5,
  notify BOOLEAN DEFAULT FALSE,
  token CHAR(36) DEFAULT (UUID()),
  nickname VARCHAR(40) DEFAULT NULL,
  created_date DATE DEFAULT (CURRENT_DATE),
  expires DATETIME DEFAULT (NOW() + INTERVAL 1 YEAR),
  greeting VARCHAR(50) DEFAULT (CONCAT('hello', ' ', 'there')),
  score INT DEFAULT (1 + 2),
  retries INT NOT NULL DEFAULT -1,
  code VARBINARY(4) DEFAULT 0x41424344
);
