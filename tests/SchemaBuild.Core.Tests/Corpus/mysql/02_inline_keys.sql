-- Inline PRIMARY KEY, UNIQUE and REFERENCES on the column line.
CREATE TABLE countries (
  code CHAR(2) PRIMARY KEY,
  name VARCHAR(80) NOT NULL UNIQUE
);

CREATE TABLE cities (
  id INTEGER PRIMARY KEY AUTO_INCREMENT,
  country_code CHAR(2) NOT NULL REFERENCES countries (code),
  name VARCHAR(120) NOT NULL,
  population INT UNSIGNED
);
