-- Multi-tenant SaaS tables keyed by tenant, with cascades and a summary view.
CREATE TABLE tenants (
  id BINARY(16) NOT NULL PRIMARY KEY,
  slug VARCHAR(63) NOT NULL,
  plan ENUM('free','team','enterprise') NOT NULL DEFAULT 'free',
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY uq_slug (slug)
);

CREATE TABLE projects (
  tenant_id BINARY(16) NOT NULL,
  id INT UNSIGNED NOT NULL,
  name VARCHAR(100) NOT NULL,
  archived TINYINT(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT fk_projects_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE project_members (
  tenant_id BINARY(16) NOT NULL,
  project_id INT UNSIGNED NOT NULL,
  user_email VARCHAR(254) NOT NULL,
  role ENUM('viewer','editor','owner') NOT NULL DEFAULT 'viewer',
  PRIMARY KEY (tenant_id, project_id, user_email),
  CONSTRAINT fk_members_project FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id) ON DELETE CASCADE
);

CREATE VIEW active_projects AS
  SELECT p.tenant_id, p.id, p.name FROM projects p WHERE p.archived = 0;
