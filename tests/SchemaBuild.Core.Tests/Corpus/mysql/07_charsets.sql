-- Table and column character sets and collations, inherited and explicit.
CREATE TABLE legacy_names (
  id INT PRIMARY KEY,
  latin_name VARCHAR(50) CHARACTER SET latin1,
  latin_bin VARCHAR(50) CHARSET latin1 COLLATE latin1_bin,
  unicode_name VARCHAR(50) COLLATE utf8mb4_unicode_ci,
  old_utf8 VARCHAR(50) CHARACTER SET utf8,
  national_name NATIONAL VARCHAR(30),
  nchar_code NCHAR(3),
  binary_code CHAR(8) BINARY,
  ascii_code VARCHAR(10) CHARACTER SET ascii
) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE latin_table (
  id INT PRIMARY KEY,
  label VARCHAR(40),
  note TEXT
) CHARACTER SET latin1;

CREATE TABLE collated_table (
  id INT PRIMARY KEY,
  label VARCHAR(40)
) COLLATE utf8mb4_bin;
