using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Dialects.Postgres;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;
using Xunit;

namespace SchemaBuild.Core.Tests.Postgres;

/// <summary>Parsing shortcuts and the corpus location shared by the PostgreSQL tests.</summary>
internal static class PostgresTestSupport
{
    public static readonly PostgresDialect Dialect = new();

    public static string CorpusDirectory => Path.Combine(AppContext.BaseDirectory, "Corpus", "postgres");

    public static IEnumerable<object[]> CorpusFiles() =>
        Directory.GetFiles(CorpusDirectory, "*.sql").OrderBy(f => f, StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

    public static string ReadCorpus(string name) => File.ReadAllText(Path.Combine(CorpusDirectory, name));

    public static ParseResult Parse(string sql, string path = "schema.sql") => Dialect.Parse(new[] { new SourceFile(path, sql) });

    /// <summary>
    /// Parses and normalizes, failing the test on any error diagnostic except SB6003: a name longer than the
    /// server keeps is a design error, yet the server accepts it (cut to 63 bytes), and so does the model.
    /// </summary>
    public static Schema Model(string sql, string path = "schema.sql")
    {
        var result = Parse(sql, path);
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "SB6003").ToList();
        Assert.True(errors.Count == 0, $"{path}: unexpected errors:\n  " + string.Join("\n  ", errors));
        return Dialect.Normalize(result.Schema);
    }

    public static Diagnostic Single(ParseResult result, string id)
    {
        var matching = result.Diagnostics.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, $"expected one {id}, got: {string.Join("; ", result.Diagnostics)}");
        return matching[0];
    }
}
