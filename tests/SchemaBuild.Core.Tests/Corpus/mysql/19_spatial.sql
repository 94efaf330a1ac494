-- Geometry types and spatial indexes.
CREATE TABLE places (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  location POINT NOT NULL,
  area POLYGON,
  route LINESTRING,
  shape GEOMETRY,
  many_points MULTIPOINT,
  collection GEOMETRYCOLLECTION,
  SPATIAL INDEX sp_location (location)
);
