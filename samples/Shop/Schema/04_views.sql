-- Reporting views.
CREATE VIEW order_summaries AS
  SELECT o.id AS order_id, o.customer_id, o.status, o.total, COUNT(l.line_no) AS line_count
  FROM orders o
  LEFT JOIN order_lines l ON l.order_id = o.id
  GROUP BY o.id, o.customer_id, o.status, o.total;
