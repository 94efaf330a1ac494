-- Dates and times with fractional seconds and automatic values.
CREATE TABLE events (
  id BIGINT NOT NULL AUTO_INCREMENT,
  happened_on DATE NOT NULL DEFAULT '2000-01-01',
  starts_at DATETIME NOT NULL,
  ends_at DATETIME(3) DEFAULT NULL,
  duration TIME(2),
  logged_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  touched_at DATETIME DEFAULT NOW() ON UPDATE NOW(),
  season YEAR,
  fiscal_year YEAR(4) DEFAULT 2024,
  imported_at DATETIME DEFAULT '2020-06-01 12:30:00',
  PRIMARY KEY (id)
);
