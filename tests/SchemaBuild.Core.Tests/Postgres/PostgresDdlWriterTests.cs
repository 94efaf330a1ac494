using System.Collections.Generic;
using SchemaBuild.Core.Tests.Infrastructure;
using Xunit;

namespace SchemaBuild.Core.Tests.Postgres;

public sealed class PostgresDdlWriterTests
{
    private static readonly Dialects.IDdlWriter Writer = PostgresTestSupport.Dialect.Writer;

    public static IEnumerable<object[]> Files() => PostgresTestSupport.CorpusFiles();

    [Theory]
    [InlineData("users", "users")]
    [InlineData("Users", "\"Users\"")]
    [InlineData("select", "\"select\"")]
    [InlineData("user", "\"user\"")]
    [InlineData("position", "\"position\"")]
    [InlineData("with space", "\"with space\"")]
    [InlineData("a\"b", "\"a\"\"b\"")]
    [InlineData("1abc", "\"1abc\"")]
    [InlineData("_ok$1", "_ok$1")]
    [InlineData("name", "name")]
    public void QuotesIdentifiersOnlyWhenNeeded(string name, string quoted) => Assert.Equal(quoted, Writer.QuoteIdentifier(name));

    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("it's", "'it''s'")]
    [InlineData("back\\slash", "'back\\slash'")]
    [InlineData("line\nbreak", "E'line\\nbreak'")]
    [InlineData("tab\t'q'\\", "E'tab\\t''q''\\\\'")]
    public void QuotesLiterals(string value, string literal) => Assert.Equal(literal, Writer.QuoteLiteral(value));

    [Fact]
    public void QuotesQualifiedNames() => Assert.Equal("app.\"Order\"", Writer.QuoteName(new Model.QualifiedName("app", "Order")));

    /// <summary>Normalize(Parse(Write(m))) == m over the whole corpus.</summary>
    [Theory]
    [MemberData(nameof(Files))]
    public void WriteThenParseGivesTheSameModel(string file)
    {
        var model = PostgresTestSupport.Model(PostgresTestSupport.ReadCorpus(file), file);
        var written = Writer.WriteSchema(model);
        var reparsed = PostgresTestSupport.Model(written, file + " (written)");
        ModelAssert.Equal(model, reparsed, $"{file}: written SQL did not round-trip\n--- written ---\n{written}");
    }

    [Fact]
    public void WrittenSchemaRunsOnTheServerAndDumpsToTheSameModel()
    {
        var model = PostgresTestSupport.Model(PostgresTestSupport.ReadCorpus("31_blog.sql"));
        var server = new PostgresServer();
        var database = server.CreateDatabase("writer_roundtrip");
        try
        {
            server.Psql(database, Writer.WriteSchema(model));
            ModelAssert.Equal(model, PostgresTestSupport.Model(server.DumpSchema(database), "dump"));
        }
        finally
        {
            server.DropDatabase(database);
        }
    }
}
