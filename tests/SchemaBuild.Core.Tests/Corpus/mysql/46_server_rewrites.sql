-- Forms the server rewrites when it stores a table or a view: BINARY defaults padded with NUL
-- bytes, index prefixes as long as the column dropped, GROUP_CONCAT with ORDER BY and
-- SEPARATOR, charset introducers (_utf8 is utf8mb3), ORDER BY a select alias, LENGTH, and
-- subqueries whose items keep only the aliases written.
CREATE TABLE token (
  id INT NOT NULL PRIMARY KEY,
  fixed BINARY(4) DEFAULT '',
  short BINARY(3) NOT NULL DEFAULT 'a',
  full_width BINARY(2) DEFAULT 'ab',
  loose VARBINARY(4) DEFAULT '',
  label VARCHAR(20) NOT NULL,
  raw VARBINARY(10),
  code CHAR(8),
  KEY ix_label (label(20)),
  KEY ix_raw (raw(10)),
  KEY ix_label_part (label(10)),
  UNIQUE KEY uq_label_raw (label(20), raw(5)),
  KEY ix_code (code(8))
);

CREATE TABLE tag (
  id INT NOT NULL PRIMARY KEY,
  token_id INT NOT NULL,
  name VARCHAR(30) NOT NULL,
  KEY ix_tag_token (token_id)
);

CREATE VIEW TokenTags AS
SELECT t.id AS TokenId,
       t.label AS Label,
       GROUP_CONCAT(DISTINCT g.name ORDER BY g.name DESC, g.id SEPARATOR '; ') AS TagNames,
       GROUP_CONCAT(g.name) AS PlainList,
       CONCAT(t.label, _utf8' / ', _latin1'x') AS Caption,
       LENGTH(t.label) AS LabelBytes,
       (SELECT MAX(g2.name) FROM tag g2 WHERE g2.token_id = t.id) AS LastTag,
       (SELECT MIN(g3.name) AS m FROM tag g3) AS FirstTag
FROM token t
LEFT JOIN tag g ON g.token_id = t.id
GROUP BY t.id, t.label
ORDER BY TagNames DESC, t.id;
