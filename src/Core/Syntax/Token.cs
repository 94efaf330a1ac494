using System;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Syntax;

/// <summary>
/// One token: its kind, raw text, processed value (unquoted/unescaped) and position.
/// A struct with no per-token span object keeps lexing a large schema cheap.
/// </summary>
public readonly struct Token
{
    public Token(TokenKind kind, string text, string value, int start, int line, int column)
    {
        Kind = kind;
        Text = text;
        Value = value;
        Start = start;
        Line = line;
        Column = column;
    }

    public TokenKind Kind { get; }

    /// <summary>The token exactly as written.</summary>
    public string Text { get; }

    /// <summary>The identifier without quotes, or the string without quotes and escapes.</summary>
    public string Value { get; }

    /// <summary>0-based offset of the first character.</summary>
    public int Start { get; }

    public int End => Start + Text.Length;

    /// <summary>1-based line.</summary>
    public int Line { get; }

    /// <summary>1-based column.</summary>
    public int Column { get; }

    public bool IsWord(string keyword) => Kind == TokenKind.Word && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

    public bool IsPunctuation(char c) => Kind == TokenKind.Punctuation && Text.Length == 1 && Text[0] == c;

    public bool IsOperator(string op) => Kind == TokenKind.Operator && Text == op;

    /// <summary>True for a bare word or a quoted identifier.</summary>
    public bool IsIdentifierLike => Kind is TokenKind.Word or TokenKind.QuotedIdentifier;

    public SourceSpan ToSpan(string file) => new(file, Line, Column, Start, Text.Length);

    /// <summary>How the token is named in "expected X, found Y" messages.</summary>
    public string Describe() => Kind switch
    {
        TokenKind.EndOfFile => "end of file",
        TokenKind.String => "string " + Shorten(Text),
        TokenKind.Number => "number " + Text,
        TokenKind.QuotedIdentifier => "identifier " + Shorten(Text),
        _ => "'" + Shorten(Text) + "'",
    };

    private static string Shorten(string text) => text.Length > 40 ? text.Substring(0, 37) + "..." : text;

    public override string ToString() => $"{Kind} {Text} @{Line}:{Column}";
}
