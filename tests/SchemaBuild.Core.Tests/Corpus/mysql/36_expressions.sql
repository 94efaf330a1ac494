-- Generated columns and checks with the operators and functions the server spells differently.
CREATE TABLE calculations (
  id INT NOT NULL PRIMARY KEY,
  a INT NOT NULL,
  b INT NOT NULL DEFAULT 1,
  label VARCHAR(40),
  modulo INT AS (a % 7) VIRTUAL,
  int_div INT AS (a DIV 2) VIRTUAL,
  mod_fn INT AS (MOD(a, 3)) VIRTUAL,
  not_equal TINYINT AS (a != b) VIRTUAL,
  bit_ops INT AS (a & 3 | b << 1) VIRTUAL,
  nested INT AS (((a + b)) * (a - b)) VIRTUAL,
  neg INT AS (-(a + 1)) VIRTUAL,
  text_len INT AS (CHARACTER_LENGTH(label)) VIRTUAL,
  byte_len INT AS (LENGTH(label)) VIRTUAL,
  part VARCHAR(10) AS (SUBSTRING(label, 1, 3)) VIRTUAL,
  fallback VARCHAR(40) AS (IFNULL(label, 'none')) VIRTUAL,
  is_labelled TINYINT AS (label IS NOT NULL) VIRTUAL,
  in_range TINYINT AS (a NOT BETWEEN 10 AND 20) VIRTUAL,
  in_list TINYINT AS (b IN (1, 2, 3)) VIRTUAL,
  matches TINYINT AS (label LIKE 'x%') VIRTUAL,
  CONSTRAINT chk_a CHECK (a <> 0 AND NOT (b < 0)),
  CONSTRAINT chk_label CHECK (label IS NULL OR label REGEXP '^[a-z]+$')
);
