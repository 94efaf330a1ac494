using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using SchemaBuild.Core.Diagnostics;
using Xunit;

namespace SchemaBuild.Core.Tests.MySql;

public sealed class MySqlDiagnosticsTests
{
    [Fact]
    public void Syntax_error_names_expected_and_found_with_exact_location()
    {
        var result = MySqlTestSupport.Parse("CREATE TABLE t (\n  id INT,\n  name VARCHAR(10) DEFAULT\n);\nCREATE TABLE ok (a INT);");
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("SB0001", error.Id);
        Assert.Equal((4, 1), (error.Span.Line, error.Span.Column));
        Assert.Equal("expected a default value, found ')'", error.Message);
        Assert.Equal("schema.sql", error.Span.File);
        Assert.Equal("ok", result.Schema.Tables.Single().Name.Name);
    }

    [Fact]
    public void Missing_parenthesis_is_reported_where_the_statement_ends()
    {
        var error = Assert.Single(MySqlTestSupport.Parse("CREATE TABLE t (a INT;").Diagnostics);
        Assert.Equal(("SB0001", 1, 22), (error.Id, error.Span.Line, error.Span.Column));
        Assert.Equal("expected ')', found ';'", error.Message);
    }

    [Theory]
    [InlineData("INSERT INTO t VALUES (1);", "INSERT")]
    [InlineData("ALTER TABLE t ADD c INT;", "ALTER")]
    [InlineData("DROP TABLE IF EXISTS t;", "DROP")]
    [InlineData("UPDATE t SET a = 1;", "UPDATE")]
    [InlineData("DELETE FROM t;", "DELETE")]
    [InlineData("RENAME TABLE a TO b;", "RENAME")]
    [InlineData("TRUNCATE t;", "TRUNCATE")]
    public void Statements_that_change_data_or_schema_are_not_allowed(string sql, string keyword)
    {
        var result = MySqlTestSupport.Parse("CREATE TABLE t (a INT);\n" + sql + "\nCREATE TABLE u (b INT);");
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(("SB0002", 2, 1), (error.Id, error.Span.Line, error.Span.Column));
        Assert.StartsWith(keyword + " statements are not allowed", error.Message);
        Assert.Contains("may only hold CREATE statements", error.Message);
        Assert.Equal(2, result.Schema.Tables.Count);
    }

    [Theory]
    [InlineData("CREATE TABLE t (a INT); CREATE TABLE t (b INT);", "table 't' is defined twice")]
    [InlineData("CREATE TABLE t (a INT); CREATE VIEW t AS SELECT 1;", "view 't' is defined twice")]
    [InlineData("CREATE TABLE t (a INT, A INT);", "column 'A' is defined twice")]
    [InlineData("CREATE TABLE t (a INT, KEY k (a), UNIQUE k (a));", "index 'k' is defined twice")]
    [InlineData("CREATE TABLE t (a INT, KEY k (a)); CREATE INDEX k ON t (a);", "index 'k' is defined twice")]
    public void Duplicates_are_SB0003(string sql, string message)
    {
        var error = Assert.Single(MySqlTestSupport.Parse(sql).Diagnostics);
        Assert.Equal("SB0003", error.Id);
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void Duplicate_across_files_is_SB0003()
    {
        var result = MySqlTestSupport.Dialect.Parse(new[]
        {
            new Syntax.SourceFile("a.sql", "CREATE TABLE t (a INT);"),
            new Syntax.SourceFile("b.sql", "\nCREATE TABLE t (a INT);"),
        });
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(("SB0003", "b.sql", 2), (error.Id, error.Span.File, error.Span.Line));
    }

    [Theory]
    [InlineData("-- schema:renamed-from\nCREATE TABLE t (a INT);", "schema:renamed-from takes one name")]
    [InlineData("-- schema:frobnicate x\nCREATE TABLE t (a INT);", "unknown annotation")]
    [InlineData("CREATE TABLE t (a INT);\n-- schema:deprecated \"nothing below\"", "is not attached")]
    public void Bad_annotations_are_SB0005(string sql, string message)
    {
        var error = Assert.Single(MySqlTestSupport.Parse(sql).Diagnostics);
        Assert.Equal("SB0005", error.Id);
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO DELETE FROM t;", "event")]
    [InlineData("GRANT SELECT ON t TO 'app'@'%';", "grant")]
    public void Unmodelled_statements_are_SB0007_warnings_kept_verbatim(string sql, string kind)
    {
        var result = MySqlTestSupport.Parse(sql);
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal(("SB0007", DiagnosticSeverity.Warning), (warning.Id, warning.Severity));
        Assert.Equal(kind, Assert.Single(result.Schema.Verbatim).Kind);
    }

    [Fact]
    public void Create_index_on_a_missing_table_is_SB0004()
    {
        var error = Assert.Single(MySqlTestSupport.Parse("CREATE INDEX ix ON missing (a);").Diagnostics);
        Assert.Equal("SB0004", error.Id);
    }

    [Fact]
    public void Damaged_corpus_files_never_throw_and_always_locate_their_errors()
    {
        var random = new Random(1234);
        foreach (var file in MySqlFidelityTests.CorpusFiles().Select(f => (string)f[0]))
        {
            var text = System.IO.File.ReadAllText(System.IO.Path.Combine(MySqlFidelityTests.CorpusFolder, file));
            for (var round = 0; round < 20; round++)
            {
                var damaged = Damage(text, random);
                var result = MySqlTestSupport.Parse(damaged, file);
                Assert.All(result.Diagnostics.Where(d => d.Id == "SB0001"), d => Assert.True(d.Span.Line > 0, d.ToString()));
                MySqlTestSupport.Dialect.Normalize(result.Schema);
                MySqlTestSupport.Dialect.Writer.WriteSchema(MySqlTestSupport.Dialect.Normalize(result.Schema));
            }
        }
    }

    [Fact]
    public void Deep_nesting_and_large_input_finish_quickly()
    {
        var deep = "CREATE TABLE t (a INT AS (" + new string('(', 5000) + "1" + new string(')', 5000) + "));";
        var watch = Stopwatch.StartNew();
        MySqlTestSupport.Parse(deep);
        var large = new StringBuilder();
        for (var i = 0; i < 20000; i++)
        {
            large.Append("CREATE TABLE t").Append(i).Append(" (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL DEFAULT '', KEY (name));\n");
        }

        var result = MySqlTestSupport.Parse(large.ToString());
        Assert.Equal(20000, result.Schema.Tables.Count);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "took " + watch.Elapsed);
    }

    private static string Damage(string text, Random random)
    {
        var position = random.Next(text.Length);
        return random.Next(4) switch
        {
            0 => text.Substring(0, position),
            1 => text.Remove(position, Math.Min(random.Next(1, 12), text.Length - position)),
            2 => text.Insert(position, text.Substring(random.Next(text.Length / 2), 8.ToString().Length + random.Next(10))),
            _ => text.Insert(position, ((char)random.Next(1, 0x2fff)).ToString()),
        };
    }
}
