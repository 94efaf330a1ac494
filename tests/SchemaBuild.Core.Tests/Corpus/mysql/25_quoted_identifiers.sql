-- Back-quoted identifiers, reserved words and odd characters as names.
CREATE TABLE `order` (
  `key` INT NOT NULL,
  `select` VARCHAR(20),
  `weird``name` INT,
  `with space` VARCHAR(10),
  `Mixed_Case` INT,
  PRIMARY KEY (`key`),
  INDEX `index` (`select`),
  UNIQUE KEY (`with space`)
);
