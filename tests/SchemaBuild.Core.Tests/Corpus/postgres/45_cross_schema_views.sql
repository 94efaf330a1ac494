CREATE SCHEMA reporting;
CREATE SCHEMA core;

CREATE TABLE core.clients (
    id integer PRIMARY KEY,
    name text NOT NULL,
    country text
);

CREATE VIEW reporting.clients_by_country AS
    SELECT country, count(*) AS clients FROM core.clients GROUP BY country;

CREATE VIEW reporting.german_clients AS
    SELECT id, name FROM core.clients WHERE country = 'DE';
COMMENT ON VIEW reporting.german_clients IS 'Clients in Germany';
