CREATE TABLE schedules (
    id integer PRIMARY KEY,
    day_start time NOT NULL DEFAULT '08:00',
    day_end time(0) without time zone NOT NULL DEFAULT '17:30:00',
    tz_time time with time zone,
    valid_from timestamp(0) NOT NULL,
    valid_to timestamp(0) with time zone,
    slot interval minute,
    slot2 interval hour to minute,
    recurrence interval DEFAULT '2 weeks',
    during tstzrange,
    CHECK (day_end > day_start)
);
