namespace SchemaBuild.Core.Model;

/// <summary>The SQL dialect a schema is written in (the <c>SchemaDialect</c> property).</summary>
public enum DialectKind
{
    MySql,
    MariaDb,
    Postgres,
}
