-- Store locator: coordinates as decimals and a geometry point.
CREATE TABLE stores (
  id INT NOT NULL AUTO_INCREMENT,
  name VARCHAR(120) NOT NULL,
  latitude DECIMAL(9,6) NOT NULL,
  longitude DECIMAL(9,6) NOT NULL,
  position POINT NOT NULL,
  opening_hours VARCHAR(200) DEFAULT NULL,
  PRIMARY KEY (id),
  SPATIAL KEY (position),
  KEY idx_lat_lng (latitude, longitude),
  CONSTRAINT chk_lat CHECK (latitude BETWEEN -90 AND 90),
  CONSTRAINT chk_lng CHECK (longitude BETWEEN -180 AND 180)
);
