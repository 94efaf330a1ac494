-- Append-only log with a descending index and a large varchar.
CREATE TABLE request_log (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  received_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  method ENUM('GET','POST','PUT','PATCH','DELETE') NOT NULL,
  path VARCHAR(2048) NOT NULL,
  status SMALLINT UNSIGNED NOT NULL,
  duration_ms INT UNSIGNED,
  client_ip VARBINARY(16),
  user_agent VARCHAR(512),
  PRIMARY KEY (id),
  KEY idx_received (received_at DESC),
  KEY idx_path (path(100)),
  KEY idx_status_received (status, received_at)
) ENGINE=InnoDB ROW_FORMAT=DYNAMIC;
