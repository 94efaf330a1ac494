-- Character and binary types, lengths and defaults.
CREATE TABLE documents (
  id INT NOT NULL AUTO_INCREMENT,
  code CHAR,
  slug VARCHAR(64) NOT NULL DEFAULT '',
  title CHARACTER VARYING(200) NOT NULL,
  summary TINYTEXT,
  body TEXT,
  body_medium MEDIUMTEXT,
  body_long LONGTEXT,
  checksum BINARY(16),
  token VARBINARY(32) DEFAULT 'abc',
  thumbnail BLOB,
  original LONGBLOB,
  small_blob TINYBLOB,
  medium_blob MEDIUMBLOB,
  note VARCHAR(20) DEFAULT 'it''s',
  escaped_text VARCHAR(20) DEFAULT 'back\\slash',
  PRIMARY KEY (id)
);
