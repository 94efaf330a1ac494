using System;
using SchemaBuild.Core.Dialects.MySql;
using SchemaBuild.Core.Dialects.Postgres;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Dialects;

/// <summary>The one place that maps a dialect to its implementation.</summary>
public static class SqlDialects
{
    public static ISqlDialect For(DialectKind kind) => kind switch
    {
        DialectKind.MySql => new MySqlDialect(DialectKind.MySql),
        DialectKind.MariaDb => new MySqlDialect(DialectKind.MariaDb),
        DialectKind.Postgres => new PostgresDialect(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown dialect"),
    };
}
