using System;
using System.Diagnostics;
using System.Linq;
using SchemaBuild.Core.Dialects.Postgres;
using SchemaBuild.Core.Syntax;
using Xunit;

namespace SchemaBuild.Core.Tests.Robustness;

/// <summary>
/// Issue 10 §5: every parse loop consumes a token or fails. The cursor turns a loop that keeps reading the same token
/// into a located syntax error, which the statement loop reports and recovers from, instead of a hang.
/// </summary>
public sealed class ParseProgressTests
{
    [Fact]
    public void A_loop_that_never_consumes_a_token_fails_at_that_token()
    {
        var cursor = new TokenCursor(PostgresLexer.Lex(new SourceFile("Schema/t.sql", "CREATE TABLE t (\n  id int INITIALLY DEFERED\n);")));
        while (!cursor.IsWord("deferred"))
        {
            // A stuck parse loop: looks for a word that is not there and never advances.
            if (cursor.IsWord("initially"))
            {
                break;
            }

            cursor.Advance();
        }

        var watch = Stopwatch.StartNew();
        var error = Assert.Throws<SyntaxErrorException>(() =>
        {
            while (!cursor.IsWord("deferred"))
            {
            }
        });
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "a stuck loop must fail, bounded");
        Assert.Equal("INITIALLY", error.At.Text);
        Assert.Equal(2, error.At.Line);
        Assert.Contains("made no progress", error.Message);

        // Progress resets the count: the same cursor goes on reading once it moves.
        cursor.Advance();
        Assert.Equal("DEFERED", cursor.Current.Text);
    }

    [Fact]
    public void Reading_and_backtracking_that_moves_on_never_trips_the_guard()
    {
        var text = "CREATE TABLE t (" + string.Join(", ", Enumerable.Range(0, 20_000).Select(i => "c" + i + " int")) + ");";
        var cursor = new TokenCursor(PostgresLexer.Lex(new SourceFile("Schema/t.sql", text)));
        while (!cursor.AtEnd)
        {
            // Look at each token many times and back up, as a backtracking parser does, then move on.
            var start = cursor.Position;
            for (var i = 0; i < 40; i++)
            {
                _ = cursor.Current;
                cursor.Advance();
                cursor.Position = start;
            }

            cursor.Advance();
        }

        Assert.True(cursor.AtEnd);
    }
}
