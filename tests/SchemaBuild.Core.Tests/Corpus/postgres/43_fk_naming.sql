CREATE TABLE regions (
    country char(2) NOT NULL,
    code varchar(8) NOT NULL,
    PRIMARY KEY (country, code)
);
CREATE TABLE stores (
    id integer PRIMARY KEY,
    country char(2),
    region_code varchar(8),
    backup_country char(2),
    backup_region varchar(8),
    FOREIGN KEY (country, region_code) REFERENCES regions,
    FOREIGN KEY (backup_country, backup_region) REFERENCES regions (country, code) ON DELETE SET DEFAULT
);
