CREATE TABLE memberships (
    id integer PRIMARY KEY,
    group_id integer NOT NULL,
    user_id integer NOT NULL,
    invite_code text,
    external_ref text,
    UNIQUE (group_id, user_id),
    CONSTRAINT memberships_invite UNIQUE NULLS NOT DISTINCT (invite_code),
    CONSTRAINT memberships_ref UNIQUE (external_ref) INCLUDE (group_id) DEFERRABLE INITIALLY DEFERRED,
    UNIQUE (user_id) DEFERRABLE
);
