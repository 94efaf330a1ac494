CREATE TABLE subscriptions (
    id integer PRIMARY KEY,
    customer_id integer NOT NULL,
    plan text NOT NULL,
    cancelled_at timestamptz,
    status varchar(20) NOT NULL DEFAULT 'active'
);
CREATE UNIQUE INDEX subscriptions_one_active ON subscriptions (customer_id) WHERE cancelled_at IS NULL;
CREATE INDEX subscriptions_status ON subscriptions (status) WHERE status IN ('active', 'trial');
CREATE INDEX subscriptions_recent ON subscriptions (customer_id, plan) WHERE cancelled_at > '2023-01-01 00:00:00+00' AND plan <> 'free';
