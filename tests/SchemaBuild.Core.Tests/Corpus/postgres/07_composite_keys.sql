CREATE TABLE tenants (
    tenant_id integer NOT NULL,
    code text NOT NULL,
    PRIMARY KEY (tenant_id, code)
);

CREATE TABLE tenant_settings (
    tenant_id integer NOT NULL,
    code text NOT NULL,
    setting_key text NOT NULL,
    setting_value text,
    CONSTRAINT tenant_settings_pk PRIMARY KEY (tenant_id, code, setting_key),
    FOREIGN KEY (tenant_id, code) REFERENCES tenants (tenant_id, code) MATCH FULL ON DELETE CASCADE,
    UNIQUE (tenant_id, setting_key, setting_value)
);
