-- Index kinds, implicit names, prefixes, sort order and methods.
CREATE TABLE articles (
  id INT NOT NULL AUTO_INCREMENT,
  author_id INT NOT NULL,
  title VARCHAR(200) NOT NULL,
  body TEXT,
  published_at DATETIME,
  PRIMARY KEY (id),
  KEY (author_id),
  INDEX (author_id, published_at DESC),
  UNIQUE (title),
  UNIQUE INDEX (author_id, title),
  KEY idx_title_prefix (title(20)),
  INDEX idx_hash (published_at) USING HASH,
  KEY idx_btree USING BTREE (author_id),
  FULLTEXT KEY ft_body (body),
  FULLTEXT (title, body),
  KEY idx_commented (published_at) COMMENT 'for the archive page'
);
