using System;
using SchemaBuild.Core.Dialects.MySql;
using SchemaBuild.Core.Dialects.Postgres;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Dialects;

/// <summary>The one place that maps a dialect to its implementation.</summary>
public static class SqlDialects
{
    /// <param name="serverVersion">The target server's version where reading depends on it (MySQL executable comments); null: the dialect's default.</param>
    public static ISqlDialect For(DialectKind kind, string? serverVersion = null) => kind switch
    {
        DialectKind.MySql => new MySqlDialect(DialectKind.MySql, serverVersion),
        DialectKind.MariaDb => new MySqlDialect(DialectKind.MariaDb, serverVersion),
        DialectKind.Postgres => new PostgresDialect(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown dialect"),
    };
}
