CREATE TABLE page_views (
    id bigint PRIMARY KEY,
    path text NOT NULL,
    visitor uuid NOT NULL,
    viewed_at timestamptz NOT NULL,
    duration_ms integer
);

CREATE VIEW page_stats AS
    SELECT path,
           count(*) AS views,
           count(DISTINCT visitor) AS visitors,
           avg(duration_ms) AS avg_duration,
           max(viewed_at) AS last_view
    FROM page_views
    GROUP BY path
    HAVING count(*) > 1;

CREATE VIEW long_views AS
    SELECT id, path, CASE WHEN duration_ms > 60000 THEN 'long' WHEN duration_ms > 10000 THEN 'medium' ELSE 'short' END AS bucket
    FROM page_views
    WHERE duration_ms IS NOT NULL
    ORDER BY id
    LIMIT 100;
