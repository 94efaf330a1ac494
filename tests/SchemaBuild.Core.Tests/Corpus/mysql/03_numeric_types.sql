-- Every numeric spelling and its synonyms.
CREATE TABLE measurements (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tiny TINYINT,
  tiny_flag TINYINT(1) NOT NULL DEFAULT 0,
  small SMALLINT(6) DEFAULT -5,
  medium MEDIUMINT UNSIGNED DEFAULT 7,
  regular INTEGER(11) DEFAULT '42',
  big BIGINT(20) DEFAULT NULL,
  price DECIMAL(10,2) NOT NULL DEFAULT 0,
  ratio NUMERIC(5,3) DEFAULT 1.5,
  plain_decimal DECIMAL,
  fixed_point FIXED(8,1),
  dec_value DEC(6),
  approx FLOAT,
  approx_scaled FLOAT(7,3),
  real_value REAL,
  double_value DOUBLE PRECISION DEFAULT 2.50,
  float8_value DOUBLE,
  padded INT(6) ZEROFILL,
  padded_default SMALLINT ZEROFILL,
  bits BIT(8) DEFAULT b'00001111',
  one_bit BIT
);
