using System.Linq;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Dialects.MySql;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Tests.MySql;

/// <summary>Parsing helpers shared by the MySQL dialect tests.</summary>
internal static class MySqlTestSupport
{
    public static readonly MySqlDialect Dialect = new(DialectKind.MariaDb);

    public static ParseResult Parse(string sql, string path = "schema.sql") => Dialect.Parse(new[] { new SourceFile(path, sql) });

    public static Schema Normalized(string sql) => Dialect.Normalize(MySqlFidelityTests.ParseClean("schema.sql", sql));

    public static Table Table(string sql) => Normalized(sql).Tables.Single();
}
