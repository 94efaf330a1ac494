-- Routines and triggers are kept verbatim; the table is modelled.
CREATE TABLE counters (
  name VARCHAR(40) NOT NULL PRIMARY KEY,
  value BIGINT NOT NULL DEFAULT 0,
  changed_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE FUNCTION next_value(counter_name VARCHAR(40)) RETURNS BIGINT
  DETERMINISTIC
  RETURN (SELECT value + 1 FROM counters WHERE name = counter_name);

CREATE TRIGGER counters_touch BEFORE UPDATE ON counters FOR EACH ROW
BEGIN
  IF NEW.value < OLD.value THEN
    SET NEW.value = OLD.value;
  END IF;
  SET NEW.changed_at = NOW();
END;

CREATE PROCEDURE bump(IN counter_name VARCHAR(40))
BEGIN
  DECLARE current_value BIGINT;
  SELECT value INTO current_value FROM counters WHERE name = counter_name;
  CASE WHEN current_value IS NULL THEN
    INSERT INTO counters (name, value) VALUES (counter_name, 1);
  ELSE
    UPDATE counters SET value = current_value + 1 WHERE name = counter_name;
  END CASE;
END;
