-- HR: departments, employees with a manager, salary history.
CREATE TABLE departments (
  dept_no CHAR(4) NOT NULL,
  dept_name VARCHAR(40) NOT NULL,
  PRIMARY KEY (dept_no),
  UNIQUE KEY dept_name (dept_name)
);

CREATE TABLE staff (
  emp_no INT NOT NULL,
  birth_date DATE NOT NULL,
  first_name VARCHAR(14) NOT NULL,
  last_name VARCHAR(16) NOT NULL,
  gender ENUM('M','F','X') NOT NULL,
  hire_date DATE NOT NULL,
  dept_no CHAR(4) NOT NULL,
  manager_no INT,
  PRIMARY KEY (emp_no),
  FOREIGN KEY (dept_no) REFERENCES departments (dept_no) ON DELETE CASCADE,
  FOREIGN KEY (manager_no) REFERENCES staff (emp_no)
);

CREATE TABLE salaries (
  emp_no INT NOT NULL,
  salary INT NOT NULL,
  from_date DATE NOT NULL,
  to_date DATE NOT NULL,
  PRIMARY KEY (emp_no, from_date),
  FOREIGN KEY (emp_no) REFERENCES staff (emp_no) ON DELETE CASCADE
);

CREATE VIEW current_salaries AS
  SELECT s.emp_no, s.salary FROM salaries s WHERE s.to_date = '9999-01-01';
