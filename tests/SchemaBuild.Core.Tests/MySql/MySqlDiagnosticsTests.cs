using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Model;
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
    [InlineData("DROP TABLE t;", "DROP")]
    [InlineData("DROP INDEX ix ON t;", "DROP")]
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
    [InlineData("DROP TABLE IF EXISTS x;", "DROP TABLE IF EXISTS")]
    [InlineData("/*!50001 DROP VIEW IF EXISTS `x`*/;", "DROP VIEW IF EXISTS")]
    [InlineData("SET @saved_cs_client = @@character_set_client;", "SET")]
    [InlineData("/*!40101 SET character_set_client = utf8mb4 */;", "SET")]
    [InlineData("LOCK TABLES t WRITE;", "LOCK TABLES")]
    [InlineData("UNLOCK TABLES;", "UNLOCK TABLES")]
    [InlineData("/*!40000 ALTER TABLE `t` DISABLE KEYS */;", "ALTER TABLE ... DISABLE/ENABLE KEYS")]
    public void Statements_that_only_prepare_a_load_are_ignored_with_SB0010(string sql, string start)
    {
        var result = MySqlTestSupport.Parse("CREATE TABLE t (a INT);\n" + sql + "\nCREATE TABLE u (b INT);");
        var info = Assert.Single(result.Diagnostics);
        Assert.Equal(("SB0010", DiagnosticSeverity.Info, 2), (info.Id, info.Severity, info.Span.Line));
        Assert.StartsWith(start, info.Message);
        Assert.Equal(2, result.Schema.Tables.Count);
    }

    [Fact]
    public void Alter_table_add_of_keys_and_constraints_folds_into_the_table()
    {
        var result = MySqlTestSupport.Parse(
            "CREATE TABLE p (id INT NOT NULL);\nCREATE TABLE c (id INT NOT NULL, p_id INT, code CHAR(3));\n"
            + "ALTER TABLE p ADD PRIMARY KEY (id);\n"
            + "ALTER TABLE `c` ADD PRIMARY KEY (id), ADD UNIQUE KEY uq_code (code), ADD KEY ix_p (p_id);\n"
            + "ALTER TABLE c ADD CONSTRAINT fk_c_p FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE CASCADE;");
        Assert.Empty(result.Diagnostics);
        var child = result.Schema.Tables.Single(t => t.Name.Name == "c");
        Assert.Equal("id", Assert.Single(child.PrimaryKey!.Parts).Column);
        Assert.Equal(new[] { "ix_p", "uq_code" }, child.Indexes.Select(i => i.Name).OrderBy(n => n));
        Assert.Equal(("fk_c_p", ReferentialAction.Cascade), (Assert.Single(child.ForeignKeys).Name, child.ForeignKeys[0].OnDelete));
        Assert.NotNull(result.Schema.Tables.Single(t => t.Name.Name == "p").PrimaryKey);
    }

    [Theory]
    [InlineData("ALTER TABLE missing ADD KEY k (a);", "SB0004")]
    [InlineData("ALTER TABLE t ADD KEY k (a);", "SB0003")]
    [InlineData("ALTER TABLE t ADD COLUMN b INT;", "SB0002")]
    public void Alter_table_add_that_does_not_restate_the_schema_is_an_error(string sql, string id)
    {
        var result = MySqlTestSupport.Parse("CREATE TABLE t (a INT, KEY k (a));\n" + sql);
        Assert.Equal(id, Assert.Single(result.Diagnostics).Id);
    }

    [Fact]
    public void A_dump_placeholder_dropped_before_the_real_view_is_not_a_duplicate()
    {
        var result = MySqlTestSupport.Parse(
            "CREATE TABLE t (a INT);\nCREATE VIEW v AS SELECT 1 AS a;\nDROP VIEW IF EXISTS v;\nCREATE VIEW v AS SELECT a FROM t;");
        Assert.Equal("SB0010", Assert.Single(result.Diagnostics).Id);
        Assert.Contains("FROM", Assert.Single(result.Schema.Views).Definition, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("CREATE TABLE a (x INT\nCREATE TABLE b (y INT);\nCREATE TABLE c (z INT);")]
    [InlineData("CREATE TABLE a (x INT,, y INT);\nCREATE TABLE b (y INT);\nCREATE TABLE c (z INT);")]
    [InlineData("CREATE PROCEDURE a() BEGIN SELECT 1; SELEC 2; END;\nCREATE TABLE b (y INT);\nCREATE TABLE c (z INT);")]
    public void One_syntax_error_costs_one_statement(string sql)
    {
        var result = MySqlTestSupport.Parse(sql);
        Assert.True(result.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error) <= 1, string.Join("\n", result.Diagnostics));
        Assert.Contains(result.Schema.Tables, t => t.Name.Name == "b");
        Assert.Contains(result.Schema.Tables, t => t.Name.Name == "c");
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
