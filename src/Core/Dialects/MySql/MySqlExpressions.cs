using System;
using System.Collections.Generic;
using System.Text;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Dialects.MySql;

/// <summary>
/// Canonical text of MySQL expressions (defaults, generated columns, checks, ON UPDATE): the form
/// MariaDB's SHOW CREATE prints. What the expression parser cannot read falls back to token text
/// (keywords lower case, identifiers back-quoted, canonical spacing), which still converges for
/// spellings that differ only in case, quoting and whitespace.
/// </summary>
internal static class MySqlExpressions
{
    public static string Canonical(IReadOnlyList<Token> tokens, int start, int end)
    {
        try
        {
            return new MySqlExpressionParser(tokens, start, end).ParseAll().ToString();
        }
        catch (SyntaxErrorException)
        {
            return TokenText(tokens, start, end);
        }
    }

    /// <summary>Re-canonicalizes stored text; idempotent.</summary>
    public static string Canonical(string text)
    {
        var lex = MySqlLexer.Lex(new SourceFile(string.Empty, text));
        return Canonical(lex.Tokens, 0, lex.Tokens.Count - 1);
    }

    /// <summary>Token-level canonical text: the fallback for expressions the parser does not know.</summary>
    public static string TokenText(IReadOnlyList<Token> tokens, int start, int end)
    {
        var output = new StringBuilder();
        Token? previous = null;
        for (var i = start; i < end && i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Kind == TokenKind.EndOfFile)
            {
                break;
            }

            if (previous is { } p && NeedsSpace(p, token))
            {
                output.Append(' ');
            }

            output.Append(token.Kind switch
            {
                TokenKind.QuotedIdentifier => MySqlNames.Quote(token.Value),
                TokenKind.Word => token.Text.ToLowerInvariant(),
                TokenKind.String => MySqlExpressionNode.Literal.String(token.Value).Text,
                _ => token.Text,
            });
            previous = token;
        }

        return output.ToString();
    }

    private static bool NeedsSpace(Token previous, Token token)
    {
        if (previous.IsPunctuation('(') || previous.IsPunctuation('.') || token.IsPunctuation('.')
            || token.IsPunctuation(')') || token.IsPunctuation(','))
        {
            return false;
        }

        if (token.IsPunctuation('('))
        {
            return previous.Kind != TokenKind.Word;
        }

        return !previous.IsPunctuation(',');
    }

    /// <summary>Index of the ')' closing the '(' at <paramref name="open"/>, or -1 before <paramref name="end"/>.</summary>
    public static int MatchingParen(IReadOnlyList<Token> tokens, int open, int end)
    {
        var depth = 0;
        for (var i = open; i < end; i++)
        {
            if (tokens[i].IsPunctuation('('))
            {
                depth++;
            }
            else if (tokens[i].IsPunctuation(')') && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>True when the canonical text is a single numeric literal (possibly negative).</summary>
    public static bool IsNumber(string text)
    {
        var body = text.StartsWith("-", StringComparison.Ordinal) ? text.Substring(1) : text;
        return body.Length > 0 && decimal.TryParse(body, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)
            && (char.IsDigit(body[0]) || body[0] == '.');
    }
}
