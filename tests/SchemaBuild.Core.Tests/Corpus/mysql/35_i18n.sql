-- Translations in several collations, with a unique key over a binary-collated column.
CREATE TABLE translations (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  locale VARCHAR(10) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  message_key VARCHAR(150) COLLATE utf8mb4_bin NOT NULL,
  message TEXT COLLATE utf8mb4_unicode_ci NOT NULL,
  legacy_text VARCHAR(200) CHARACTER SET latin1 COLLATE latin1_german1_ci,
  UNIQUE KEY uq_locale_key (locale, message_key)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
