CREATE TABLE people (
    id integer PRIMARY KEY,
    first_name text NOT NULL,
    last_name text NOT NULL,
    email varchar(200),
    active boolean NOT NULL DEFAULT true
);

CREATE VIEW active_people AS
    SELECT id, first_name, last_name FROM people WHERE active;

CREATE VIEW people_emails (person_id, address) AS
    SELECT id, email FROM people WHERE email IS NOT NULL AND email LIKE '%@%';

CREATE VIEW everyone AS SELECT * FROM people;
COMMENT ON VIEW active_people IS 'People that can log in';
