-- Version-gated DDL inside executable comments is lexed as code.
CREATE TABLE feature_flags (
  name VARCHAR(64) NOT NULL PRIMARY KEY,
  enabled TINYINT(1) NOT NULL DEFAULT 0
) /*!50100 ENGINE=InnoDB */ /*!40101 DEFAULT CHARSET=utf8mb4 */;
