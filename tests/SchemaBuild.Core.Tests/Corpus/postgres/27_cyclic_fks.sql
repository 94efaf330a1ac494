CREATE TABLE departments (
    id integer PRIMARY KEY,
    manager_id integer
);
CREATE TABLE employees (
    id integer PRIMARY KEY,
    department_id integer NOT NULL REFERENCES departments (id)
);
ALTER TABLE departments ADD CONSTRAINT departments_manager_fkey FOREIGN KEY (manager_id) REFERENCES employees (id) DEFERRABLE INITIALLY DEFERRED;
