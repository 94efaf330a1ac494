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
    // Generous: these catch hangs and quadratic blow-ups, not speed (speed lives in bench/). AssertParsesSafely bounds the
    // CPU time of the parsing thread, which other processes on a loaded machine do not stretch; RunBounded the wall clock.
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

    /// <summary>
    /// Random edits of the corpus (typos in keywords, dropped, repeated, swapped and inserted tokens and keywords, noise,
    /// truncation), thousands per dialect from a fixed seed within a time budget. Each case runs on a thread with a 1 MB
    /// stack (smaller than MSBuild's and the IDE's) and a timeout: a case that does not finish is a hang.
    /// </summary>
    [Theory]
    [MemberData(nameof(Dialects))]
    public void Fuzzed_schema_files_never_hang_or_crash(DialectKind kind, string corpus)
    {
        var dialect = SqlDialects.For(kind);
        var random = new Random(20261130);
        var files = CorpusFiles(corpus).Select(f => Tokens(f.Text)).ToList();
        // The budget counts the parsing threads' CPU time where the system tells it (the wall clock elsewhere):
        // on a loaded machine the wall clock let too few cases run.
        var budget = Stopwatch.StartNew();
        var cpu = ThreadCpuTime() is null ? (TimeSpan?)null : TimeSpan.Zero;
        var failures = new List<string>();
        var cases = 0;
        while (cases < FuzzCases && (cpu ?? budget.Elapsed) < FuzzBudget && failures.Count < 5)
        {
            var text = Mutate(files[random.Next(files.Count)], random);
            cases++;
            var failure = RunBounded(
                () =>
                {
                    var before = ThreadCpuTime();
                    try
                    {
                        SchemaLoader.Load(dialect, new[] { new SourceFile("Schema/fuzz.sql", text) });
                    }
                    finally
                    {
                        cpu += ThreadCpuTime() - before;
                    }
                },
                PerInputBound);
            if (failure is not null)
            {
                failures.Add(failure + " on input:\n" + Preview(text));
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} fuzzed inputs failed:\n" + string.Join("\n----\n", failures));
        Assert.True(cases >= MinimumFuzzCases, $"only {cases} fuzzed inputs ran within {FuzzBudget.TotalSeconds}s of {(cpu is null ? "wall-clock" : "CPU")} time (at least {MinimumFuzzCases} expected)");
    }

    [Theory]
    [InlineData(DialectKind.Postgres, "CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (a_id int REFERENCES a (id) DEFERRABLE INITIALLY DEFERED);", "DEFERRED or IMMEDIATE")]
    [InlineData(DialectKind.Postgres, "CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (a_id int, FOREIGN KEY (a_id) REFERENCES a (id) INITIALLY);", "DEFERRED or IMMEDIATE")]
    [InlineData(DialectKind.MariaDb, "CREATE TABLE t (a int DEFAULT NOT',\n b int);", "unterminated string")]
    [InlineData(DialectKind.MariaDb, "CREATE TABLE t (a char(2) NOT NULL DEFAULT CASE '", "unterminated string")]
    public void Inputs_that_once_hung_give_a_located_error(DialectKind kind, string text, string message)
    {
        ParseResult? result = null;
        var failure = RunBounded(() => result = SchemaLoader.Load(SqlDialects.For(kind), new[] { new SourceFile("Schema/fuzz.sql", text) }), PerInputBound);
        Assert.Null(failure);
        Assert.Contains(result!.Diagnostics, d => d.Id == "SB0001" && d.Span.Line > 0 && d.Message.Contains(message, StringComparison.Ordinal));
    }

    public static IEnumerable<object[]> DeepInputs()
    {
        static string And(int n, string left) => string.Join(" AND ", Enumerable.Range(0, n).Select(i => left + " = " + i));
        var from = "SELECT 1 AS a FROM " + Repeat("(SELECT 1 AS a FROM ", 10_000) + "t" + Repeat(") x", 10_000);
        var scalar = Repeat("(SELECT ", 3_000) + "1" + Repeat(")", 3_000);
        var union = "SELECT a FROM t" + Repeat(" UNION SELECT a FROM t", 20_000);
        foreach (var kind in new[] { DialectKind.MariaDb, DialectKind.Postgres })
        {
            yield return new object[] { kind, "view: 10k nested FROM subqueries", "CREATE VIEW v AS " + from + ";", false };
            yield return new object[] { kind, "view: 3k nested scalar subqueries", "CREATE VIEW v AS SELECT " + scalar + " AS a FROM t;", false };
            yield return new object[] { kind, "check: 3k nested scalar subqueries", "CREATE TABLE c (a int CHECK (a = " + scalar + "));", false };
            yield return new object[] { kind, "default: 3k nested scalar subqueries", "CREATE TABLE d (a int DEFAULT (" + scalar + "));", false };
            yield return new object[] { kind, "view: 20k UNIONs", "CREATE VIEW v AS " + union + ";", true };
            yield return new object[] { kind, "view: 100k AND terms", "CREATE VIEW v AS SELECT a FROM t WHERE " + And(100_000, "a") + ";", true };
            yield return new object[] { kind, "check: 100k AND terms", "CREATE TABLE c (a int, CHECK (" + And(100_000, "a") + "));", true };
            yield return new object[] { kind, "default: 100k AND terms", "CREATE TABLE d (a boolean DEFAULT (" + And(100_000, "1") + "));", true };
            yield return new object[] { kind, "check: 100k chained + operators", "CREATE TABLE c (a int, CHECK (" + string.Join(" + ", Enumerable.Repeat("a", 100_000)) + " > 0));", false };
            yield return new object[] { kind, "view: 100k chained casts", "CREATE VIEW v AS SELECT a" + Repeat(kind == DialectKind.Postgres ? "::int" : " + 0", 100_000) + " AS b FROM t;", false };
        }
    }

    /// <summary>
    /// Each deep or long input parses or gives a located error, in bounded time, on a 1 MB stack: the parser, normalizer,
    /// canonicalizer and printer must neither recurse per chained term nor copy per term. Flat chains (UNION, AND) must parse.
    /// </summary>
    [Theory]
    [MemberData(nameof(DeepInputs))]
    public void Deep_and_long_inputs_parse_or_give_a_located_error_without_stack_overflow(DialectKind kind, string what, string statement, bool mustParse)
    {
        var text = "CREATE TABLE t (a int);\n" + statement + "\n";
        ParseResult? result = null;
        var failure = RunBounded(() => result = SchemaLoader.Load(SqlDialects.For(kind), new[] { new SourceFile("Schema/deep.sql", text) }), LargeInputBound);
        Assert.True(failure is null, what + ": " + failure);
        var errors = result!.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.All(errors, d => Assert.True(d.Span.Line > 0 && d.Span.File == "Schema/deep.sql", $"{what}: {d.Id} without a location: {d.Message}"));
        if (mustParse)
        {
            Assert.True(errors.Count == 0, what + ": " + string.Join("; ", errors.Select(e => e.Message)));
        }
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

    private static readonly TimeSpan FuzzBudget = TimeSpan.FromSeconds(25);
    private const int FuzzCases = 4000;
    private const int MinimumFuzzCases = 1000;

    private static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();

    /// <summary>Runs <paramref name="action"/> on a 1 MB-stack thread; returns why it failed (exception, timeout) or null.</summary>
    private static string? RunBounded(Action action, TimeSpan bound)
    {
        Exception? error = null;
        var thread = new System.Threading.Thread(
            () =>
            {
                try
                {
                    action();
                }
                catch (Exception ex)
                {
                    error = ex;
                }
            },
            1024 * 1024) { IsBackground = true };
        thread.Start();
        if (!thread.Join(bound))
        {
            // The thread cannot be stopped; it is a background thread and ends with the test process.
            return $"no result after {bound.TotalSeconds}s (a hang or a quadratic blow-up)";
        }

        return error is null ? null : "threw " + error;
    }

    /// <summary>One to three random edits of a tokenized file.</summary>
    private static string Mutate(List<string> original, Random random)
    {
        var words = original.ToList();
        var keywords = new[]
        {
            " NOT ", " NULL ", " DEFAULT ", " CONSTRAINT ", " CHECK ", " INITIALLY ", " DEFERRABLE ", " ON ", " USING ", " WITH ", " AS ",
            " SELECT ", " FROM ", " UNION ", " CASE ", " WHEN ", " KEY ", " INDEX ", " PARTITION ", " COLLATE ", " CHARACTER SET ", " REFERENCES ",
        };
        var noise = new[] { "'", "\"", "`", "/*", "--", "$$", "(", ")", ";", ",", "\\", "E'\\", ".", "::", "[", "]", "DELIMITER" };
        for (var edits = 1 + random.Next(3); edits > 0 && words.Count > 0; edits--)
        {
            var i = random.Next(words.Count);
            switch (random.Next(8))
            {
                case 0:
                    words.RemoveAt(i);
                    break;
                case 1:
                    words.Insert(i, words[i]);
                    break;
                case 2:
                    var j = random.Next(words.Count);
                    (words[i], words[j]) = (words[j], words[i]);
                    break;
                case 3:
                    // A typo: one letter of a word dropped (INITIALLY DEFERED).
                    if (words[i].Length > 2 && char.IsLetter(words[i][0]))
                    {
                        words[i] = words[i].Remove(random.Next(words[i].Length), 1);
                    }

                    break;
                case 4:
                    words.Insert(i, words[random.Next(words.Count)]);
                    break;
                case 5:
                    words.RemoveRange(i, words.Count - i);
                    break;
                case 6:
                    words.Insert(i, noise[random.Next(noise.Length)]);
                    break;
                default:
                    words.Insert(i, keywords[random.Next(keywords.Length)]);
                    break;
            }
        }

        return string.Concat(words);
    }

    /// <summary>
    /// The CPU time the calling thread has used (Linux: utime + stime of /proc/thread-self/stat, in the kernel's fixed 1/100 s
    /// ticks), or null where that file does not exist and the wall clock has to do. The parse runs synchronously on this thread,
    /// foreground collections included.
    /// </summary>
    private static TimeSpan? ThreadCpuTime()
    {
        const string stat = "/proc/thread-self/stat";
        if (!File.Exists(stat))
        {
            return null;
        }

        // After the command name in parentheses: field 3 (state) first, so utime (field 14) and stime (15) are at 11 and 12.
        var line = File.ReadAllText(stat);
        var fields = line.Substring(line.LastIndexOf(')') + 2).Split(' ');
        var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    private static ParseResult AssertParsesSafely(ISqlDialect dialect, string text, TimeSpan bound)
    {
        var watch = Stopwatch.StartNew();
        var cpuBefore = ThreadCpuTime();
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
        var cpuAfter = ThreadCpuTime();
        var (spent, clock) = cpuBefore is { } before && cpuAfter is { } after ? (after - before, "CPU time") : (watch.Elapsed, "wall-clock time");
        Assert.True(spent < bound, $"parsing took {spent.TotalSeconds:F1}s of {clock} (bound {bound.TotalSeconds}s) for:\n{Preview(text)}");
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
