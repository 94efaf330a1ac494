-- Composite primary keys, many-to-many link tables and multi-column foreign keys.
CREATE TABLE tags (
  id INT NOT NULL PRIMARY KEY,
  label VARCHAR(40) NOT NULL UNIQUE
);

CREATE TABLE posts (
  blog_id INT NOT NULL,
  post_no INT NOT NULL,
  title VARCHAR(200) NOT NULL,
  PRIMARY KEY (blog_id, post_no)
);

CREATE TABLE post_tags (
  blog_id INT NOT NULL,
  post_no INT NOT NULL,
  tag_id INT NOT NULL,
  PRIMARY KEY (blog_id, post_no, tag_id),
  CONSTRAINT fk_post_tags_post FOREIGN KEY (blog_id, post_no) REFERENCES posts (blog_id, post_no) ON DELETE CASCADE,
  CONSTRAINT fk_post_tags_tag FOREIGN KEY (tag_id) REFERENCES tags (id)
);
