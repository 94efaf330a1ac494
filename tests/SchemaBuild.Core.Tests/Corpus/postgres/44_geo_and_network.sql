CREATE TABLE devices (
    id integer PRIMARY KEY,
    ip inet NOT NULL,
    network cidr,
    mac macaddr,
    location point,
    area box,
    tags text[] DEFAULT ARRAY['new'],
    CHECK (family(ip) = 4)
);
CREATE INDEX devices_ip ON devices USING gist (ip inet_ops);
