# Column, index and table comments with quotes and escapes.
CREATE TABLE settings (
  name VARCHAR(64) NOT NULL COMMENT 'setting key',
  value VARCHAR(1000) COMMENT 'the owner''s value',
  scope ENUM('global','user') NOT NULL DEFAULT 'global' COMMENT "where it applies",
  /* block comment between columns */
  updated_by INT COMMENT '',
  PRIMARY KEY (name) COMMENT 'natural key',
  KEY idx_scope (scope) COMMENT 'filter by scope'
) COMMENT = 'Application settings';
