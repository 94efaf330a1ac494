-- Implicit names longer than 63 bytes are shortened the way the server does it.
CREATE TABLE a_really_quite_extraordinarily_long_table_name_for_testing_limits (
    an_equally_long_column_name_that_keeps_on_going_for_a_while integer PRIMARY KEY,
    another_very_long_column_name_to_force_name_truncation_rules text UNIQUE,
    check_me integer CHECK (check_me > 0)
);
CREATE TABLE short_t (
    id integer REFERENCES a_really_quite_extraordinarily_long_table_name_for_testing_limits
);
