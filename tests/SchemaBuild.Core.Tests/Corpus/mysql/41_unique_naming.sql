-- Implicit index names collide and get _2, _3 suffixes as the server assigns them.
CREATE TABLE naming (
  a INT NOT NULL,
  b INT NOT NULL,
  c VARCHAR(10),
  UNIQUE (a, b),
  UNIQUE (a),
  KEY (a),
  KEY (b),
  KEY (c, a),
  INDEX (c)
);
