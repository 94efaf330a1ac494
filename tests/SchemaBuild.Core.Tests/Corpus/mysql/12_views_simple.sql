-- Views over one table; the server qualifies columns and adds aliases.
CREATE TABLE employees (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  first_name VARCHAR(50) NOT NULL,
  last_name VARCHAR(50) NOT NULL,
  salary DECIMAL(10,2) NOT NULL,
  department VARCHAR(30),
  active TINYINT(1) NOT NULL DEFAULT 1
);

CREATE VIEW active_employees AS
  SELECT id, first_name, last_name, department FROM employees WHERE active = 1;

CREATE VIEW salary_bands AS
  SELECT e.id AS employee_id, e.salary, CASE WHEN e.salary > 100000 THEN 'high' WHEN e.salary > 50000 THEN 'mid' ELSE 'low' END AS band
  FROM employees e;

CREATE OR REPLACE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW department_names (department_name) AS
  SELECT DISTINCT department FROM employees WHERE department IS NOT NULL;
