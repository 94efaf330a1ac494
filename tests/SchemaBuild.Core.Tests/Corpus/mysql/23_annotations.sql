-- Annotations steer diffing; they never change the model's meaning.
-- schema:allow SB1002 customers_v2.legacy_code "dropped after the 2024 migration"

-- schema:renamed-from customers
CREATE TABLE customers_v2 (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  full_name VARCHAR(200) NOT NULL, -- schema:renamed-from name
  -- schema:deprecated "use full_name"
  short_name VARCHAR(50),
  email VARCHAR(255) NOT NULL
);
