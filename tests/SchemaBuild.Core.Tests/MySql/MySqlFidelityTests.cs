using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SchemaBuild.Core.Dialects.MySql;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;
using SchemaBuild.Core.Tests.Infrastructure;
using Xunit;

namespace SchemaBuild.Core.Tests.MySql;

/// <summary>
/// The server is the oracle: each corpus file is loaded into a fresh MariaDB database, read back
/// with SHOW CREATE, parsed, and both models normalized must be equal. Verbatim statements
/// (routines, triggers) are compared between schema versions as text, not against the server.
/// </summary>
public sealed class MySqlFidelityTests
{
    private static readonly MySqlDialect Dialect = new(DialectKind.MariaDb);

    public static string CorpusFolder => Path.Combine(AppContext.BaseDirectory, "Corpus", "mysql");

    public static IEnumerable<object[]> CorpusFiles() =>
        Directory.GetFiles(CorpusFolder, "*.sql").OrderBy(f => f, StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

    [Fact]
    public void Corpus_has_at_least_forty_files() => Assert.True(CorpusFiles().Count() >= 40, "the MySQL corpus needs at least 40 files");

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Server_agrees_with_the_schema_file(string fileName)
    {
        var text = File.ReadAllText(Path.Combine(CorpusFolder, fileName));
        var fromFile = ParseClean(fileName, text);

        using var oracle = new MariaDbOracle(Path.GetFileNameWithoutExtension(fileName));
        oracle.Load(text);
        var serverText = oracle.ShowCreateAll();
        var fromServer = ParseClean("server:" + fileName, serverText);

        ModelAssert.Equal(
            Dialect.Normalize(fromFile) with { Verbatim = EquatableList<VerbatimStatement>.Empty },
            Dialect.Normalize(fromServer),
            "file " + fileName + " against SHOW CREATE:\n" + serverText);
    }

    internal static Schema ParseClean(string path, string text)
    {
        var result = Dialect.Parse(new[] { new SourceFile(path, text) });
        var errors = result.Diagnostics.Where(d => d.Severity == Diagnostics.DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, path + ":\n" + string.Join("\n", errors) + "\n" + text);
        return result.Schema;
    }
}
