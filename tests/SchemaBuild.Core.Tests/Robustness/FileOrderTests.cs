using System.Linq;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Loading;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;
using Xunit;

namespace SchemaBuild.Core.Tests.Robustness;

/// <summary>File order must not matter: a CREATE INDEX may sit in a file that sorts before its table's file.</summary>
public sealed class FileOrderTests
{
    [Theory]
    [InlineData(DialectKind.Postgres, "CREATE INDEX ix_orders_customer ON orders (customer_id);\n", "CREATE TABLE orders (id int PRIMARY KEY, customer_id int);\n")]
    [InlineData(DialectKind.MariaDb, "CREATE INDEX ix_orders_customer ON orders (customer_id);\n", "CREATE TABLE orders (id INT NOT NULL PRIMARY KEY, customer_id INT);\n")]
    public void An_index_in_an_earlier_file_than_its_table_is_added_to_the_table(DialectKind kind, string indexFile, string tableFile)
    {
        var dialect = SqlDialects.For(kind);
        var result = SchemaLoader.Load(dialect, new[] { new SourceFile("Schema/00_indexes.sql", indexFile), new SourceFile("Schema/10_orders.sql", tableFile) });
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        var reversed = SchemaLoader.Load(dialect, new[] { new SourceFile("Schema/10_orders.sql", tableFile), new SourceFile("Schema/20_indexes.sql", indexFile) });
        Assert.Equal(reversed.Schema, result.Schema);
        Assert.Contains(result.Schema.Tables.Single().Indexes, i => i.Name == "ix_orders_customer");
    }

    [Fact]
    public void An_index_on_a_table_no_file_creates_is_a_located_error()
    {
        var result = SchemaLoader.Load(SqlDialects.For(DialectKind.Postgres), new[] { new SourceFile("Schema/a.sql", "CREATE INDEX ix ON missing (id);\n") });
        var error = Assert.Single(result.Diagnostics, d => d.Id == "SB0001");
        Assert.Contains("table missing is not defined", error.Message);
        Assert.Equal(("Schema/a.sql", 1), (error.Span.File, error.Span.Line));
    }
}
