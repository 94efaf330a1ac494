using System.Collections.Generic;
using System.Text;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Syntax;

/// <summary>
/// A position in a token list with the helpers a recursive-descent parser needs. Errors are
/// <see cref="SyntaxErrorException"/>s whose message names what was expected and what was found.
/// </summary>
public sealed class TokenCursor
{
    // A parse loop that reads the current token this many times without the cursor ever getting further is stuck (a loop
    // that neither consumes a token nor fails): it becomes a syntax error at that token instead of a hang. Real parses
    // read a token a handful of times; deep nesting and long chains move the cursor on with every term.
    private const int StallLimit = 1_000_000;

    private readonly IReadOnlyList<Token> tokens;
    private int furthest;
    private int readsWithoutProgress;

    public TokenCursor(LexResult lex)
    {
        Lex = lex;
        tokens = lex.Tokens;
    }

    public LexResult Lex { get; }

    public string FilePath => Lex.File.Path;

    /// <summary>Index of the current token.</summary>
    public int Position { get; set; }

    public Token Current
    {
        get
        {
            if (Position > furthest)
            {
                furthest = Position;
                readsWithoutProgress = 0;
            }
            else if (++readsWithoutProgress > StallLimit)
            {
                readsWithoutProgress = 0;
                var at = tokens[Position];
                throw new SyntaxErrorException(at, "the parser made no progress at " + at.Describe() + " (a SchemaBuild bug; please report it with this statement)");
            }

            return tokens[Position];
        }
    }

    public Token Previous => tokens[Position > 0 ? Position - 1 : 0];

    public bool AtEnd => Current.Kind == TokenKind.EndOfFile;

    public Token Peek(int offset = 1)
    {
        var index = Position + offset;
        return index < tokens.Count ? tokens[index] : tokens[tokens.Count - 1];
    }

    public Token TokenAt(int index) => tokens[index];

    public Token Advance()
    {
        var token = tokens[Position];
        if (token.Kind != TokenKind.EndOfFile)
        {
            Position++;
        }

        return token;
    }

    public bool IsWord(string word) => Current.IsWord(word);

    public bool IsPunctuation(char c) => Current.IsPunctuation(c);

    // Two- and three-word overloads: the parsers test such phrases at every token, and a params array each time adds up.
    public bool IsWords(string first, string second) => Peek(0).IsWord(first) && Peek(1).IsWord(second);

    public bool IsWords(string first, string second, string third) => IsWords(first, second) && Peek(2).IsWord(third);

    /// <summary>True when the next tokens are exactly these words.</summary>
    public bool IsWords(params string[] words)
    {
        for (var i = 0; i < words.Length; i++)
        {
            if (!Peek(i).IsWord(words[i]))
            {
                return false;
            }
        }

        return true;
    }

    public bool AcceptWord(string word)
    {
        if (!Current.IsWord(word))
        {
            return false;
        }

        Advance();
        return true;
    }

    /// <summary>Consumes the two words only if both follow.</summary>
    public bool AcceptWords(string first, string second)
    {
        if (!IsWords(first, second))
        {
            return false;
        }

        Position += 2;
        return true;
    }

    /// <summary>Consumes the three words only if all of them follow.</summary>
    public bool AcceptWords(string first, string second, string third)
    {
        if (!IsWords(first, second, third))
        {
            return false;
        }

        Position += 3;
        return true;
    }

    /// <summary>Consumes the words only if all of them follow.</summary>
    public bool AcceptWords(params string[] words)
    {
        if (!IsWords(words))
        {
            return false;
        }

        Position += words.Length;
        return true;
    }

    public Token ExpectWord(string word)
    {
        if (!Current.IsWord(word))
        {
            throw Error(word.ToUpperInvariant());
        }

        return Advance();
    }

    public void ExpectWords(params string[] words)
    {
        foreach (var word in words)
        {
            ExpectWord(word);
        }
    }

    public bool AcceptPunctuation(char c)
    {
        if (!Current.IsPunctuation(c))
        {
            return false;
        }

        Advance();
        return true;
    }

    public Token ExpectPunctuation(char c)
    {
        if (!Current.IsPunctuation(c))
        {
            throw Error("'" + c + "'");
        }

        return Advance();
    }

    public bool AcceptOperator(string op)
    {
        if (!Current.IsOperator(op))
        {
            return false;
        }

        Advance();
        return true;
    }

    /// <summary>A bare word or quoted identifier; <paramref name="what"/> names it in the error.</summary>
    public Token ExpectIdentifier(string what)
    {
        if (!Current.IsIdentifierLike)
        {
            throw Error(what);
        }

        return Advance();
    }

    public Token ExpectKind(TokenKind kind, string what)
    {
        if (Current.Kind != kind)
        {
            throw Error(what);
        }

        return Advance();
    }

    /// <summary>An error at the current token: "expected {expected}, found {token}".</summary>
    public SyntaxErrorException Error(string expected) =>
        new(Current, "expected " + expected + ", found " + Current.Describe());

    public SyntaxErrorException ErrorAt(Token token, string message) => new(token, message);

    public SourceSpan SpanOf(Token token) => token.ToSpan(FilePath);

    /// <summary>The span from the first token to the end of the last one (inclusive).</summary>
    public SourceSpan SpanOf(Token first, Token last) =>
        new(FilePath, first.Line, first.Column, first.Start, last.End - first.Start);

    /// <summary>The source text from token <paramref name="from"/> up to, not including, token <paramref name="to"/>.</summary>
    public string SourceText(int from, int to)
    {
        if (to <= from)
        {
            return string.Empty;
        }

        var start = tokens[from].Start;
        var end = tokens[to - 1].End;
        return Lex.File.Text.Substring(start, end - start);
    }

    /// <summary>Advances past the next ';' outside parentheses, or to the end: error recovery and skipping.</summary>
    public void SkipStatement()
    {
        var depth = 0;
        while (!AtEnd)
        {
            var token = Advance();
            if (token.IsPunctuation('('))
            {
                depth++;
            }
            else if (token.IsPunctuation(')') && depth > 0)
            {
                depth--;
            }
            else if (token.IsPunctuation(';') && depth == 0)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Advances to the ')' that closes the current nesting level (not consuming it), or to a ','
    /// at this level when <paramref name="stopAtComma"/>; returns false at end of input or ';'.
    /// </summary>
    public bool SkipBalanced(bool stopAtComma)
    {
        var depth = 0;
        while (!AtEnd)
        {
            var token = Current;
            if (token.IsPunctuation('('))
            {
                depth++;
            }
            else if (token.IsPunctuation(')'))
            {
                if (depth == 0)
                {
                    return true;
                }

                depth--;
            }
            else if (depth == 0 && ((stopAtComma && token.IsPunctuation(',')) || token.IsPunctuation(';')))
            {
                return token.IsPunctuation(',');
            }

            Advance();
        }

        return false;
    }

    /// <summary>Whitespace folded to single spaces: how statements nothing reads back are compared.</summary>
    public static string FoldWhitespace(string text) => Model.VerbatimStatement.Fold(text);
}
