-- A small blog: users, posts, comments, with the usual keys.
CREATE TABLE blog_users (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  login VARCHAR(60) NOT NULL,
  pass_hash VARCHAR(255) NOT NULL,
  registered DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  status INT(11) NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  UNIQUE KEY uq_login (login)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE blog_posts (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  author_id INT UNSIGNED NOT NULL,
  title TEXT NOT NULL,
  content LONGTEXT NOT NULL,
  status VARCHAR(20) NOT NULL DEFAULT 'publish',
  comment_count BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  KEY idx_author (author_id),
  KEY idx_status_date (status, id),
  CONSTRAINT fk_posts_author FOREIGN KEY (author_id) REFERENCES blog_users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE blog_comments (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  post_id BIGINT UNSIGNED NOT NULL,
  parent_id BIGINT UNSIGNED,
  author_email VARCHAR(100) NOT NULL DEFAULT '',
  body TEXT NOT NULL,
  approved VARCHAR(20) NOT NULL DEFAULT '1',
  PRIMARY KEY (id),
  KEY (post_id),
  KEY (approved, id),
  FOREIGN KEY (post_id) REFERENCES blog_posts (id) ON DELETE CASCADE,
  FOREIGN KEY (parent_id) REFERENCES blog_comments (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
