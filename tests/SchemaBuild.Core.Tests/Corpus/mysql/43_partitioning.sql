-- Partitioned tables: every method, keys as columns and expressions, bounds the server evaluates.
CREATE TABLE readings (
  sensor_id INT NOT NULL,
  taken_on DATE NOT NULL,
  value DECIMAL(8,2),
  PRIMARY KEY (sensor_id, taken_on)
)
PARTITION BY RANGE COLUMNS (taken_on) (
  PARTITION r2019 VALUES LESS THAN ('2020-01-01'),
  PARTITION r2020 VALUES LESS THAN ('2021-01-01') COMMENT 'covid year',
  PARTITION rmax VALUES LESS THAN (MAXVALUE)
);

CREATE TABLE events (
  id BIGINT NOT NULL,
  happened DATE NOT NULL,
  PRIMARY KEY (id, happened)
)
partition by range (to_days(happened)) (
  partition e1 values less than (TO_DAYS('2000-01-01')),
  partition e2 values less than (to_days('2010-01-01') + 1),
  partition e3 values less than maxvalue
);

CREATE TABLE regions (
  id INT NOT NULL,
  code VARCHAR(4) NOT NULL,
  PRIMARY KEY (id, code)
)
PARTITION BY LIST COLUMNS (code) (
  PARTITION north VALUES IN ('N', 'NE', 'NW'),
  PARTITION south VALUES IN ('S'),
  PARTITION rest DEFAULT
);

CREATE TABLE buckets (
  id INT NOT NULL PRIMARY KEY,
  grp INT NOT NULL
)
PARTITION BY LIST (id MOD 3) (
  PARTITION b0 VALUES IN (0),
  PARTITION b12 VALUES IN (1, 2)
);

CREATE TABLE sessions (
  id INT NOT NULL PRIMARY KEY
) PARTITION BY HASH (id) PARTITIONS 4;

CREATE TABLE sessions_one (
  id INT NOT NULL PRIMARY KEY
) PARTITION BY HASH (id);

CREATE TABLE tokens (
  id INT NOT NULL PRIMARY KEY
) PARTITION BY LINEAR KEY () PARTITIONS 3;

CREATE TABLE named_hash (
  id INT NOT NULL PRIMARY KEY
) PARTITION BY KEY (id) (PARTITION a, PARTITION b COMMENT = 'second');

CREATE TABLE subparted (
  id INT NOT NULL PRIMARY KEY,
  c INT
)
PARTITION BY RANGE (id DIV 10)
SUBPARTITION BY HASH (id) SUBPARTITIONS 2 (
  PARTITION s0 VALUES LESS THAN (5),
  PARTITION s1 VALUES LESS THAN MAXVALUE
);

/*!50100 CREATE TABLE dumped (
  id INT NOT NULL PRIMARY KEY
) */ /*!50100 PARTITION BY HASH (id) PARTITIONS 2 */;
