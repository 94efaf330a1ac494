using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Loading;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;
using Xunit;

namespace SchemaBuild.Core.Tests.Robustness;

/// <summary>
/// Mutates the corpus (truncation, dropped and repeated tokens, random bytes, deep nesting, a
/// 10 MB input) and checks the front end's promise: never an exception, always a model, a bounded
/// run time, and every error diagnostic carries a location. The seed is fixed so failures repeat.
/// </summary>
public sealed class ParserRobustnessTests
{
    // Generous: these catch hangs and quadratic blow-ups, not speed (speed lives in bench/).
    private static readonly TimeSpan PerInputBound = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LargeInputBound = TimeSpan.FromSeconds(60);

    public static IEnumerable<object[]> Dialects() => new[]
    {
        new object[] { DialectKind.MariaDb, "mysql" },
        new object[] { DialectKind.Postgres, "postgres" },
    };

    [Theory]
    [MemberData(nameof(Dialects))]
    public void Mutated_corpus_files_never_throw_and_errors_are_located(DialectKind kind, string corpus)
    {
        var dialect = SqlDialects.For(kind);
        var random = new Random(20261121);
        var inputs = 0;
        foreach (var original in CorpusFiles(corpus))
        {
            foreach (var mutant in Mutations(original, random))
            {
                inputs++;
                AssertParsesSafely(dialect, mutant, PerInputBound);
            }
        }

        Assert.True(inputs >= 200, $"expected at least 200 mutated inputs, made {inputs}");
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public void Random_bytes_give_a_located_syntax_error(DialectKind kind, string corpus)
    {
        _ = corpus;
        var dialect = SqlDialects.For(kind);
        var random = new Random(7);
        for (var i = 0; i < 100; i++)
        {
            var bytes = new char[random.Next(1, 400)];
            for (var j = 0; j < bytes.Length; j++)
            {
                bytes[j] = (char)random.Next(1, 0x2FF);
            }

            // A leading statement keyword followed by garbage is always invalid.
            var text = "CREATE TABLE t (" + new string(bytes) + "\n@@@ ((";
            var result = AssertParsesSafely(dialect, text, PerInputBound);
            Assert.Contains(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error && d.Span.Line > 0);
        }
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public void Deep_nesting_is_an_error_not_a_stack_overflow(DialectKind kind, string corpus)
    {
        _ = corpus;
        var dialect = SqlDialects.For(kind);
        const int depth = 100_000;
        var text = "CREATE TABLE t (a int DEFAULT " + new string('(', depth) + "1" + new string(')', depth) + ");\n"
            + "CREATE TABLE u (b int CHECK (" + new string('(', depth) + ");";
        var result = AssertParsesSafely(dialect, text, LargeInputBound);
        Assert.Contains(result.Diagnostics, d => d.Id == "SB0001" && d.Span.Line > 0);
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public void A_ten_megabyte_input_parses_in_bounded_time(DialectKind kind, string corpus)
    {
        var dialect = SqlDialects.For(kind);
        var files = CorpusFiles(corpus).ToList();
        var text = new StringBuilder();
        var copy = 0;
        while (text.Length < 10_000_000)
        {
            // Rename every copy so the input is one large valid schema, not 10 MB of duplicates.
            foreach (var file in files)
            {
                text.Append(Rename(file.Text, copy)).Append('\n');
            }

            copy++;
        }

        text.Append("CREATE TABLE broken_at_the_end (");
        var result = AssertParsesSafely(dialect, text.ToString(), LargeInputBound);
        Assert.NotEmpty(result.Schema.Tables);
        Assert.Contains(result.Diagnostics, d => d.Id == "SB0001" && d.Span.Line > 100_000);
    }

    private static ParseResult AssertParsesSafely(ISqlDialect dialect, string text, TimeSpan bound)
    {
        var watch = Stopwatch.StartNew();
        ParseResult result;
        try
        {
            result = SchemaLoader.Load(dialect, new[] { new SourceFile("Schema/fuzz.sql", text) });
        }
        catch (Exception ex)
        {
            throw new Xunit.Sdk.XunitException($"the front end threw on this input:\n{Preview(text)}\n{ex}");
        }

        watch.Stop();
        Assert.True(watch.Elapsed < bound, $"parsing took {watch.Elapsed.TotalSeconds:F1}s (bound {bound.TotalSeconds}s) for:\n{Preview(text)}");
        Assert.NotNull(result.Schema);
        foreach (var diagnostic in result.Diagnostics.Where(d => d.Id is "SB0001" or "SB0002"))
        {
            Assert.True(diagnostic.Span.Line > 0 && diagnostic.Span.Column > 0, $"{diagnostic.Id} without a location: {diagnostic.Message}");
            Assert.Equal("Schema/fuzz.sql", diagnostic.Span.File);
        }

        return result;
    }

    private static IEnumerable<string> Mutations(SourceFile file, Random random)
    {
        var text = file.Text;
        if (text.Length == 0)
        {
            yield break;
        }

        // Truncation at a few random points.
        for (var i = 0; i < 3; i++)
        {
            yield return text.Substring(0, random.Next(text.Length));
        }

        var words = Tokens(text);
        if (words.Count > 2)
        {
            // A dropped token, a repeated token, two tokens swapped.
            var drop = random.Next(words.Count);
            yield return string.Concat(words.Where((_, index) => index != drop));
            var repeat = random.Next(words.Count);
            yield return string.Concat(words.Take(repeat + 1).Concat(words.Skip(repeat)));
            var a = random.Next(words.Count);
            var b = random.Next(words.Count);
            var swapped = words.ToArray();
            (swapped[a], swapped[b]) = (swapped[b], swapped[a]);
            yield return string.Concat(swapped);
        }

        // Random characters, including quotes and comment openers, at a random point.
        var noise = new[] { "'", "\"", "`", "/*", "--", "$$", "(", ")", ";", "\0", "\\", "\u00e9", "\ud83d\ude00", "E'\\" };
        var at = random.Next(text.Length);
        yield return text.Substring(0, at) + noise[random.Next(noise.Length)] + text.Substring(at);
    }

    /// <summary>Splits text into runs of word characters, whitespace and single other characters.</summary>
    private static List<string> Tokens(string text)
    {
        var result = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            if (char.IsLetterOrDigit(text[i]) || text[i] == '_')
            {
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }
            }
            else if (char.IsWhiteSpace(text[i]))
            {
                while (i < text.Length && char.IsWhiteSpace(text[i]))
                {
                    i++;
                }
            }
            else
            {
                i++;
            }

            result.Add(text.Substring(start, i - start));
        }

        return result;
    }

    private static string Rename(string text, int copy) =>
        System.Text.RegularExpressions.Regex.Replace(
            text,
            @"(?i)\b(CREATE\s+(?:UNIQUE\s+|MATERIALIZED\s+|UNLOGGED\s+)?(?:TABLE|VIEW|INDEX|TYPE|SEQUENCE)\s+(?:IF\s+NOT\s+EXISTS\s+)?)([`""]?)(\w+)",
            m => m.Groups[1].Value + m.Groups[2].Value + m.Groups[3].Value + "_c" + copy);

    private static IEnumerable<SourceFile> CorpusFiles(string corpus)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Corpus", corpus);
        Assert.True(Directory.Exists(folder), $"corpus folder {folder} is missing");
        return Directory.GetFiles(folder, "*.sql").OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => new SourceFile(Path.GetFileName(p), File.ReadAllText(p)));
    }

    private static string Preview(string text) => text.Length > 600 ? text.Substring(0, 600) + $"... ({text.Length} chars)" : text;
}
