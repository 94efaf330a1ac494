-- JSON columns: MariaDB stores LONGTEXT with utf8mb4_bin and a json_valid check.
CREATE TABLE webhooks (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  url VARCHAR(500) NOT NULL,
  headers JSON,
  payload_template JSON NOT NULL,
  event_name VARCHAR(50) AS (JSON_UNQUOTE(JSON_EXTRACT(payload_template, '$.event'))) VIRTUAL
);
