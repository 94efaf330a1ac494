using SchemaBuild.Core.Model;

namespace SchemaBuild.Runtime.Tests;

/// <summary>A small (baseline, desired) pair per engine whose plan has several direct steps.</summary>
public static class SampleSchemas
{
    public static DialectKind Dialect(string engine) => engine == "postgres" ? DialectKind.Postgres : DialectKind.MariaDb;

    public static string Baseline(string engine) => engine == "postgres"
        ? "CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL);\n"
        : "CREATE TABLE customers (id BIGINT NOT NULL PRIMARY KEY, email VARCHAR(200) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n";

    public static string Desired(string engine) => engine == "postgres"
        ? "CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL, nickname text);\n"
          + "CREATE INDEX customers_email_idx ON customers (email);\n"
          + "CREATE TABLE notes (id bigint PRIMARY KEY, body text);\n"
        : "CREATE TABLE customers (id BIGINT NOT NULL PRIMARY KEY, email VARCHAR(200) NOT NULL, nickname VARCHAR(50) NULL, KEY ix_customers_email (email)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n"
          + "CREATE TABLE notes (id BIGINT NOT NULL PRIMARY KEY, body TEXT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n";

    public static string Seed => "INSERT INTO customers (id, email) VALUES (1, 'a@example.com'), (2, 'b@example.com');\n";
}
