namespace SchemaBuild.Core.Syntax;

/// <summary>Token classes shared by the dialect lexers.</summary>
public enum TokenKind
{
    /// <summary>A bare word: keyword or unquoted identifier (the parser decides which).</summary>
    Word,

    /// <summary>A quoted identifier (<c>`x`</c> in MySQL, <c>"x"</c> in PostgreSQL); Value is unquoted.</summary>
    QuotedIdentifier,

    /// <summary>A string literal; Value is the unescaped content. Prefixed forms keep the prefix in Text.</summary>
    String,

    /// <summary>A numeric literal.</summary>
    Number,

    /// <summary>Hex, bit or other typed constant (<c>X'ff'</c>, <c>b'01'</c>, <c>0xff</c>); Text is verbatim.</summary>
    BinaryLiteral,

    /// <summary>Operator characters (<c>=</c>, <c>::</c>, <c>&lt;&gt;</c>, <c>||</c>, ...).</summary>
    Operator,

    /// <summary>One of <c>( ) , ; . [ ]</c>.</summary>
    Punctuation,

    /// <summary><c>@var</c>, <c>@@var</c>, <c>$1</c>, <c>?</c>.</summary>
    Parameter,

    EndOfFile,
}
