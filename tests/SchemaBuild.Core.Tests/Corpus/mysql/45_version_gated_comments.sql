-- Executable comments count only where the server runs them: /*!N */ when N is at most the
-- server version, /*M!N */ on MariaDB only. MariaDB 10.11 skips the 11.x ones as comments.
CREATE TABLE gated (
  id INT NOT NULL PRIMARY KEY
  /*M!100100 , note VARCHAR(10) */
  /*!999999 , never INT */
  /*!110800 , later INT */
  /*M!50100 , old INT */
  /*!50100 , five INT */
) /*!110800 COMMENT='not yet' */ /*!40101 DEFAULT CHARSET=utf8mb4 */;
