using System.Collections.Generic;
using System.IO;
using System.Linq;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Tests.Infrastructure;
using Xunit;

namespace SchemaBuild.Core.Tests.MySql;

public sealed class MySqlDdlWriterTests
{
    public static IEnumerable<object[]> CorpusFiles() => MySqlFidelityTests.CorpusFiles();

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Written_schema_parses_back_to_the_same_model(string fileName)
    {
        var model = MySqlTestSupport.Normalized(File.ReadAllText(Path.Combine(MySqlFidelityTests.CorpusFolder, fileName)));
        var written = MySqlTestSupport.Dialect.Writer.WriteSchema(model);
        var again = MySqlTestSupport.Dialect.Normalize(MySqlFidelityTests.ParseClean("written.sql", written));
        ModelAssert.Equal(model, again, written);
    }

    [Theory]
    [InlineData("plain", "`plain`")]
    [InlineData("with`tick", "`with``tick`")]
    [InlineData("two words", "`two words`")]
    public void Identifiers_are_back_quoted_with_doubled_backticks(string name, string expected) =>
        Assert.Equal(expected, MySqlTestSupport.Dialect.Writer.QuoteIdentifier(name));

    [Theory]
    [InlineData("it's", "'it''s'")]
    [InlineData("back\\slash", "'back\\\\slash'")]
    [InlineData("line\nbreak", "'line\\nbreak'")]
    public void Literals_escape_quotes_backslashes_and_control_characters(string value, string expected) =>
        Assert.Equal(expected, MySqlTestSupport.Dialect.Writer.QuoteLiteral(value));

    [Fact]
    public void Literal_round_trips_through_the_lexer()
    {
        const string value = "a'b\\c\n\0d\"";
        var sql = "CREATE TABLE t (c VARCHAR(20) DEFAULT " + MySqlTestSupport.Dialect.Writer.QuoteLiteral(value) + ");";
        Assert.Equal(value, MySqlTestSupport.Table(sql).Columns[0].Default!.Value);
    }

    [Fact]
    public void Table_is_written_like_show_create_table()
    {
        var table = MySqlTestSupport.Table("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(10) NOT NULL DEFAULT 'x' COMMENT 'n', KEY (name));");
        var text = MySqlTestSupport.Dialect.Writer.WriteTable(table);
        Assert.Equal(
            "CREATE TABLE `t` (\n  `id` int NOT NULL,\n  `name` varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL DEFAULT 'x' COMMENT 'n',\n"
            + "  PRIMARY KEY (`id`),\n  KEY `name` (`name`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;",
            text);
    }

    [Fact]
    public void Referenced_tables_are_written_before_the_tables_that_reference_them()
    {
        var model = MySqlTestSupport.Normalized(
            "CREATE TABLE a (id INT PRIMARY KEY, b_id INT, FOREIGN KEY (b_id) REFERENCES b (id)); CREATE TABLE b (id INT PRIMARY KEY);");
        var text = MySqlTestSupport.Dialect.Writer.WriteSchema(model);
        Assert.True(text.IndexOf("CREATE TABLE `b`", System.StringComparison.Ordinal) < text.IndexOf("CREATE TABLE `a`", System.StringComparison.Ordinal));
    }
}
