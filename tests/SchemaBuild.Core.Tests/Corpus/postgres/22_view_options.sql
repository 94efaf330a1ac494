CREATE TABLE secrets (
    id integer PRIMARY KEY,
    owner_name text NOT NULL,
    level integer NOT NULL
);

CREATE VIEW public_secrets WITH (security_barrier) AS
    SELECT id, owner_name FROM secrets WHERE level < 3;

CREATE VIEW low_secrets AS
    SELECT id, owner_name, level FROM secrets WHERE level < 5
    WITH CHECK OPTION;

CREATE VIEW lowest_secrets AS
    SELECT id, owner_name, level FROM low_secrets WHERE level < 2
    WITH LOCAL CHECK OPTION;

CREATE VIEW barrier_secrets WITH (security_barrier = true, check_option = cascaded) AS
    SELECT id, level FROM secrets;
