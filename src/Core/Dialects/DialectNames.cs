using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Dialects;

/// <summary>The names users write for dialects (<c>SchemaDialect</c>, <c>--dialect</c>, plan.json).</summary>
public static class DialectNames
{
    /// <summary>Reads <c>mysql</c>, <c>mariadb</c> or <c>postgres</c> (also <c>postgresql</c>), ignoring case.</summary>
    public static bool TryParse(string? text, out DialectKind kind)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "mysql":
                kind = DialectKind.MySql;
                return true;
            case "mariadb":
                kind = DialectKind.MariaDb;
                return true;
            case "postgres":
            case "postgresql":
                kind = DialectKind.Postgres;
                return true;
            default:
                kind = default;
                return false;
        }
    }

    public static string Of(DialectKind kind) => kind switch
    {
        DialectKind.MySql => "mysql",
        DialectKind.MariaDb => "mariadb",
        _ => "postgres",
    };
}
