-- Table options: engine, row format, comment, statistics; AUTO_INCREMENT is runtime state.
CREATE TABLE audit_log (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  message VARCHAR(500) NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB AUTO_INCREMENT=1000 DEFAULT CHARSET=utf8mb4 ROW_FORMAT=COMPRESSED COMMENT='append-only audit trail' STATS_PERSISTENT=1;

CREATE TABLE cache_entries (
  cache_key VARCHAR(191) NOT NULL PRIMARY KEY,
  payload MEDIUMBLOB,
  expires_at INT UNSIGNED NOT NULL
) ENGINE=MyISAM ROW_FORMAT=DYNAMIC;

CREATE TABLE session_data (
  session_id CHAR(32) NOT NULL,
  data VARCHAR(2000) NOT NULL DEFAULT '',
  PRIMARY KEY (session_id)
) ENGINE=MEMORY;

CREATE TABLE archived_rows (
  id INT NOT NULL,
  row_data TEXT
) ENGINE=Aria STATS_AUTO_RECALC=0 COMMENT 'cold storage';
