using System.Linq;
using SchemaBuild.Core.Dialects.MySql;
using SchemaBuild.Core.Syntax;
using Xunit;

namespace SchemaBuild.Core.Tests.MySql;

public sealed class MySqlLexerTests
{
    private static LexResult Lex(string text) => MySqlLexer.Lex(new SourceFile("f.sql", text));

    private static Token Single(string text)
    {
        var tokens = Lex(text).Tokens;
        Assert.Equal(2, tokens.Count);
        return tokens[0];
    }

    [Theory]
    [InlineData("mariadb", "10.11", "/*!40101 a */ /*M!100100 b */ /*!110800 c */ /*M!110800 d */ /*!e */", "a b e")]
    [InlineData("mariadb", "11.8", "/*!40101 a */ /*M!100100 b */ /*!110800 c */ /*M!110800 d */ /*!e */", "a b c d e")]
    [InlineData("mysql", "8.0.36", "/*!40101 a */ /*M!100100 b */ /*!80036 c */ /*!80037 d */ /*!e */", "a c e")]
    [InlineData("mysql", "5.7", "/*!50100 a */ /*!50800 b */ /*M!50100 c */", "a")]
    public void Executable_comments_are_code_only_where_the_target_server_runs_them(string dialect, string version, string text, string code)
    {
        var gate = MySqlVersionGate.For(dialect == "mysql" ? Core.Model.DialectKind.MySql : Core.Model.DialectKind.MariaDb, version);
        var lex = MySqlLexer.Lex(new SourceFile("f.sql", text), gate);
        Assert.Empty(lex.Diagnostics);
        Assert.Equal(code, string.Join(" ", lex.Tokens.Where(t => t.Kind != TokenKind.EndOfFile).Select(t => t.Text)));
    }

    [Fact]
    public void Backtick_identifier_doubles_its_quote()
    {
        var token = Single("`a``b`");
        Assert.Equal(TokenKind.QuotedIdentifier, token.Kind);
        Assert.Equal("a`b", token.Value);
    }

    [Theory]
    [InlineData("'it''s'", "it's")]
    [InlineData("'it\\'s'", "it's")]
    [InlineData("\"double\"", "double")]
    [InlineData("'a\\nb\\tc\\\\'", "a\nb\tc\\")]
    [InlineData("'100\\%'", "100\\%")]
    [InlineData("_utf8mb4'x'", "x")]
    [InlineData("N'nat'", "nat")]
    public void Strings_unescape(string text, string value)
    {
        var token = Single(text);
        Assert.Equal(TokenKind.String, token.Kind);
        Assert.Equal(value, token.Value);
    }

    [Theory]
    [InlineData("X'4142'")]
    [InlineData("x'00'")]
    [InlineData("0x4142")]
    [InlineData("b'0101'")]
    [InlineData("0b11")]
    public void Hex_and_bit_literals(string text) => Assert.Equal(TokenKind.BinaryLiteral, Single(text).Kind);

    [Theory]
    [InlineData("42")]
    [InlineData("3.25")]
    [InlineData(".5")]
    [InlineData("1e10")]
    [InlineData("2.5E-3")]
    public void Numbers(string text) => Assert.Equal(TokenKind.Number, Single(text).Kind);

    [Fact]
    public void Identifier_may_start_with_digits() => Assert.Equal(TokenKind.Word, Single("1st_column").Kind);

    [Theory]
    [InlineData("<=>")]
    [InlineData("!=")]
    [InlineData("<>")]
    [InlineData("||")]
    [InlineData("->>")]
    [InlineData(":=")]
    public void Multi_character_operators(string text) => Assert.Equal(TokenKind.Operator, Single(text).Kind);

    [Fact]
    public void Comments_are_collected_with_own_line_flag()
    {
        var lex = Lex("-- first\nCREATE # trailing\n/* block\n spans */ TABLE");
        Assert.Equal(new[] { "CREATE", "TABLE" }, lex.Tokens.Where(t => t.Kind == TokenKind.Word).Select(t => t.Text));
        Assert.Equal(3, lex.Comments.Count);
        Assert.True(lex.Comments[0].OwnLine);
        Assert.False(lex.Comments[1].OwnLine);
        Assert.Equal("# trailing", lex.Comments[1].Text);
        Assert.Equal(3, lex.Comments[2].Line);
    }

    [Fact]
    public void Double_dash_without_space_is_not_a_comment()
    {
        var tokens = Lex("1--2").Tokens;
        Assert.Equal(new[] { "1", "-", "-", "2", string.Empty }, tokens.Select(t => t.Text));
    }

    [Fact]
    public void Executable_comment_content_is_code()
    {
        var lex = Lex("/*!40101 SET NAMES utf8mb4 */; /*M!100101 ENGINE=InnoDB */");
        Assert.Equal(new[] { "SET", "NAMES", "utf8mb4", ";", "ENGINE", "=", "InnoDB", string.Empty }, lex.Tokens.Select(t => t.Text));
        Assert.Empty(lex.Diagnostics);
    }

    [Fact]
    public void Positions_are_one_based_lines_and_columns()
    {
        var tokens = Lex("CREATE\n  TABLE t").Tokens;
        Assert.Equal((2, 3), (tokens[1].Line, tokens[1].Column));
        Assert.Equal((2, 9), (tokens[2].Line, tokens[2].Column));
    }

    [Theory]
    [InlineData("'open", 1, 1, "unterminated string")]
    [InlineData("x `open", 1, 3, "unterminated identifier")]
    [InlineData("a\n  /* open", 2, 3, "unterminated comment")]
    [InlineData("a \\ b", 1, 3, "unexpected character '\\'")]
    public void Bad_input_gives_SB0001_with_location(string text, int line, int column, string message)
    {
        var diagnostic = Assert.Single(Lex(text).Diagnostics);
        Assert.Equal("SB0001", diagnostic.Id);
        Assert.Equal((line, column), (diagnostic.Span.Line, diagnostic.Span.Column));
        Assert.Contains(message, diagnostic.Message);
    }
}
