-- View query forms: WITH (also RECURSIVE and MATERIALIZED), window functions, functions in FROM with column aliases.
CREATE TABLE staff (
    id integer PRIMARY KEY,
    boss_id integer REFERENCES staff (id),
    team text NOT NULL,
    pay numeric(10,2) NOT NULL,
    tags text[] NOT NULL DEFAULT '{}'
);

CREATE VIEW chain_of_command AS
    WITH RECURSIVE up(id, boss_id, depth) AS (
        SELECT s.id, s.boss_id, 0 FROM staff s
        UNION ALL
        SELECT u.id, s.boss_id, u.depth + 1 FROM up u JOIN staff s ON s.id = u.boss_id
    )
    SELECT id, max(depth) AS levels FROM up GROUP BY id;

CREATE VIEW team_pay AS
    WITH totals AS MATERIALIZED (SELECT team, sum(pay) AS total FROM staff GROUP BY team),
         biggest AS (SELECT max(total) AS top FROM totals)
    SELECT t.team, t.total, t.total = b.top AS is_biggest FROM totals t, biggest b;

CREATE VIEW pay_ranks AS
    SELECT id, team,
           rank() OVER (PARTITION BY team ORDER BY pay DESC) AS team_rank,
           sum(pay) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running,
           avg(pay) OVER w AS team_avg
    FROM staff
    WINDOW w AS (PARTITION BY team);

CREATE VIEW staff_tags AS
    SELECT s.id, t.tag, t.pos
    FROM staff s, LATERAL unnest(s.tags) WITH ORDINALITY t(tag, pos);

CREATE VIEW numbered AS
    SELECT g.n, s.id FROM generate_series(1, 3) g(n) CROSS JOIN LATERAL (SELECT id FROM staff WHERE id > g.n) s;

-- Subqueries reusing an enclosing query's alias: the server prints them renamed (s_1).
CREATE VIEW busiest_teams AS
    SELECT s.team, (SELECT count(*) FROM staff s WHERE s.team = busiest.team) AS people
    FROM staff s JOIN (SELECT s.team FROM staff s GROUP BY s.team) busiest ON busiest.team = s.team;
