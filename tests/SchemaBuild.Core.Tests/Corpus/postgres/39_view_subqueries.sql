CREATE TABLE teams (
    id integer PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE players (
    id integer PRIMARY KEY,
    team_id integer REFERENCES teams (id),
    score integer NOT NULL DEFAULT 0
);

CREATE VIEW teams_with_players AS
    SELECT t.id, t.name FROM teams t
    WHERE EXISTS (SELECT 1 FROM players p WHERE p.team_id = t.id);

CREATE VIEW top_players AS
    SELECT p.id, p.score FROM players p
    WHERE p.score > (SELECT avg(score) FROM players);

CREATE VIEW team_scores AS
    SELECT x.team_id, x.total FROM (SELECT team_id, sum(score) AS total FROM players GROUP BY team_id) x
    WHERE x.total > 0;

CREATE VIEW all_names AS
    SELECT name FROM teams
    UNION ALL
    SELECT 'player ' || id FROM players;
