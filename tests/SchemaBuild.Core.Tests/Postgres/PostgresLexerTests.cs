using System.Linq;
using SchemaBuild.Core.Dialects.Postgres;
using SchemaBuild.Core.Syntax;
using Xunit;

namespace SchemaBuild.Core.Tests.Postgres;

public sealed class PostgresLexerTests
{
    private static LexResult Lex(string text) => PostgresLexer.Lex(new SourceFile("t.sql", text));

    private static Token Single(string text)
    {
        var lex = Lex(text);
        Assert.Empty(lex.Diagnostics);
        Assert.Equal(2, lex.Tokens.Count);
        return lex.Tokens[0];
    }

    [Theory]
    [InlineData("\"Mixed \"\"Q\"\" Case\"", TokenKind.QuotedIdentifier, "Mixed \"Q\" Case")]
    [InlineData("'it''s'", TokenKind.String, "it's")]
    [InlineData("E'a\\nb\\tc\\\\d\\''", TokenKind.String, "a\nb\tc\\d'")]
    [InlineData("e'\\x41\\101\\u00e9'", TokenKind.String, "AAé")]
    [InlineData("U&'d\\0061t\\+000061'", TokenKind.String, "data")]
    [InlineData("U&\"d\\0061t\"", TokenKind.QuotedIdentifier, "dat")]
    [InlineData("B'0101'", TokenKind.BinaryLiteral, "0101")]
    [InlineData("X'1F'", TokenKind.BinaryLiteral, "1F")]
    [InlineData("$$ it's $ a body $$", TokenKind.String, " it's $ a body ")]
    [InlineData("$fn$ select $$x$$ $fn$", TokenKind.String, " select $$x$$ ")]
    [InlineData("$1", TokenKind.Parameter, "$1")]
    [InlineData("1.5e-3", TokenKind.Number, "1.5e-3")]
    [InlineData(".5", TokenKind.Number, ".5")]
    [InlineData("some_Word$1", TokenKind.Word, "some_Word$1")]
    public void ReadsLiteralsAndIdentifiers(string text, TokenKind kind, string value)
    {
        var token = Single(text);
        Assert.Equal(kind, token.Kind);
        Assert.Equal(value, token.Value);
    }

    [Theory]
    [InlineData("a::text", "::")]
    [InlineData("a->>'k'", "->>")]
    [InlineData("a->'k'", "->")]
    [InlineData("a @> b", "@>")]
    [InlineData("a <> b", "<>")]
    [InlineData("a || b", "||")]
    [InlineData("a ~~* b", "~~*")]
    [InlineData("a !~~ b", "!~~")]
    [InlineData("a #>> b", "#>>")]
    public void ReadsOperators(string text, string op)
    {
        var lex = Lex(text);
        Assert.Empty(lex.Diagnostics);
        Assert.Equal(op, lex.Tokens[1].Text);
        Assert.Equal(TokenKind.Operator, lex.Tokens[1].Kind);
    }

    [Fact]
    public void OperatorDoesNotSwallowTrailingMinus()
    {
        var lex = Lex("a=-1");
        Assert.Equal(new[] { "a", "=", "-", "1", "" }, lex.Tokens.Select(t => t.Text));
    }

    [Fact]
    public void CollectsCommentsWithOwnLineFlag()
    {
        var lex = Lex("-- own line\nCREATE /* inline /* nested */ still */ TABLE t; -- trailing\n");
        Assert.Equal(3, lex.Comments.Count);
        Assert.True(lex.Comments[0].OwnLine);
        Assert.Equal("/* inline /* nested */ still */", lex.Comments[1].Text);
        Assert.False(lex.Comments[1].OwnLine);
        Assert.False(lex.Comments[2].OwnLine);
        Assert.Equal(new[] { "CREATE", "TABLE", "t", ";", "" }, lex.Tokens.Select(t => t.Text));
    }

    [Fact]
    public void TracksLinesAndColumns()
    {
        var lex = Lex("CREATE\n  TABLE $$a\nb$$ x");
        Assert.Equal((2, 3), (lex.Tokens[1].Line, lex.Tokens[1].Column));
        Assert.Equal((3, 5), (lex.Tokens[3].Line, lex.Tokens[3].Column));
    }

    [Fact]
    public void PsqlMetaCommandsAreComments()
    {
        var lex = Lex("\\restrict abc\nCREATE SCHEMA s;\n\\unrestrict abc\n");
        Assert.Empty(lex.Diagnostics);
        Assert.Equal(new[] { "CREATE", "SCHEMA", "s", ";", "" }, lex.Tokens.Select(t => t.Text));
    }

    [Theory]
    [InlineData("SELECT 'abc", 1, 8, "unterminated string literal")]
    [InlineData("x\n  \"abc", 2, 3, "unterminated quoted identifier")]
    [InlineData("a /* never closed", 1, 3, "unterminated /* comment")]
    [InlineData("$tag$ body", 1, 1, "unterminated dollar-quoted string")]
    [InlineData("a { b", 1, 3, "unexpected character '{'")]
    public void BadInputGivesLocatedDiagnosticAndNeverThrows(string text, int line, int column, string message)
    {
        var lex = Lex(text);
        var diagnostic = Assert.Single(lex.Diagnostics);
        Assert.Equal("SB0001", diagnostic.Id);
        Assert.Equal((line, column), (diagnostic.Span.Line, diagnostic.Span.Column));
        Assert.StartsWith(message, diagnostic.Message);
        Assert.Equal(TokenKind.EndOfFile, lex.Tokens[lex.Tokens.Count - 1].Kind);
    }
}
