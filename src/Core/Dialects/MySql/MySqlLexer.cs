using System.Collections.Generic;
using System.Text;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Dialects.MySql;

/// <summary>
/// Splits MySQL/MariaDB SQL into tokens. Follows the server's default sql_mode: <c>"..."</c> is a
/// string, not an identifier. Executable comments (<c>/*!40101 ... */</c>, <c>/*M!100101 ... */</c>)
/// are lexed as code where the target server runs them (<see cref="MySqlVersionGate"/>), as
/// comments elsewhere. Never throws: bad input becomes SB0001 diagnostics.
/// </summary>
public static class MySqlLexer
{
    private static readonly string[] MultiCharOperators = { "<=>", "->>", "<=", ">=", "<>", "!=", "<<", ">>", "&&", "||", ":=", "->" };

    public static LexResult Lex(SourceFile file) => Lex(file, MySqlVersionGate.All);

    public static LexResult Lex(SourceFile file, MySqlVersionGate gate)
    {
        var state = new State(file, gate);
        state.Run();
        return new LexResult(file, state.Tokens, state.Comments, state.Diagnostics);
    }

    private sealed class State
    {
        private readonly SourceFile file;
        private readonly MySqlVersionGate gate;
        private readonly string text;
        private readonly StringPool pool;
        private int position;
        private int line = 1;
        private int lineStart;
        private int lastTokenLine;
        private int executableCommentDepth;

        public State(SourceFile file, MySqlVersionGate gate)
        {
            this.file = file;
            this.gate = gate;
            text = file.Text ?? string.Empty;
            pool = new StringPool(text.Length);
            Tokens = new TokenList(text.Length);
        }

        public TokenList Tokens { get; }

        public List<Comment> Comments { get; } = new();

        public List<Diagnostic> Diagnostics { get; } = new();

        private int Column => position - lineStart + 1;

        private char At(int offset) => position + offset < text.Length ? text[position + offset] : '\0';

        public void Run()
        {
            while (position < text.Length)
            {
                var c = text[position];
                if (c == '\n')
                {
                    NewLine(position + 1);
                    position++;
                }
                else if (char.IsWhiteSpace(c))
                {
                    position++;
                }
                else if (c == '#' || (c == '-' && At(1) == '-' && (At(2) == '\0' || char.IsWhiteSpace(At(2)) || char.IsControl(At(2)))))
                {
                    LineComment();
                }
                else if (c == '/' && At(1) == '*')
                {
                    BlockComment();
                }
                else if (c == '*' && At(1) == '/' && executableCommentDepth > 0)
                {
                    executableCommentDepth--;
                    position += 2;
                }
                else
                {
                    NextToken(c);
                }
            }

            Tokens.Add(new Token(TokenKind.EndOfFile, string.Empty, string.Empty, text.Length, line, Column));
        }

        private void NewLine(int next)
        {
            line++;
            lineStart = next;
        }

        private void LineComment()
        {
            var start = position;
            var column = Column;
            while (position < text.Length && text[position] != '\n')
            {
                position++;
            }

            var body = text.Substring(start, position - start).TrimEnd('\r');
            Comments.Add(new Comment(body, start, line, column, lastTokenLine != line));
        }

        private void BlockComment()
        {
            var start = position;
            var startLine = line;
            var column = Column;
            if (At(2) == '!' || (At(2) == 'M' && At(3) == '!'))
            {
                // Executable comment: the server runs its content when its version is at least the number.
                var mariaDbOnly = At(2) == 'M';
                var digits = position + (mariaDbOnly ? 4 : 3);
                var end = digits;
                while (end < text.Length && end - digits < 6 && char.IsDigit(text[end]))
                {
                    end++;
                }

                if (gate.Applies(mariaDbOnly, text.Substring(digits, end - digits)))
                {
                    position = end;
                    executableCommentDepth++;
                    return;
                }
            }

            position += 2;
            while (position < text.Length && !(text[position] == '*' && At(1) == '/'))
            {
                if (text[position] == '\n')
                {
                    NewLine(position + 1);
                }

                position++;
            }

            if (position >= text.Length)
            {
                Error(startLine, column, start, "unterminated comment: expected '*/' before end of file");
                return;
            }

            position += 2;
            Comments.Add(new Comment(text.Substring(start, position - start), start, startLine, column, lastTokenLine != startLine));
        }

        private void NextToken(char c)
        {
            var start = position;
            var startLine = line;
            var column = Column;
            lastTokenLine = line;
            if (c == '`')
            {
                var value = Quoted('`', false, startLine, column, "identifier");
                Add(TokenKind.QuotedIdentifier, start, startLine, column, value);
            }
            else if (c == '\'' || c == '"')
            {
                var value = Quoted(c, true, startLine, column, "string");
                Add(TokenKind.String, start, startLine, column, value);
            }
            else if ((c == 'x' || c == 'X' || c == 'b' || c == 'B') && At(1) == '\'')
            {
                position++;
                Quoted('\'', false, startLine, column, "literal");
                Add(TokenKind.BinaryLiteral, start, startLine, column, null);
            }
            else if ((c == 'n' || c == 'N') && At(1) == '\'')
            {
                position++;
                var value = Quoted('\'', true, startLine, column, "string");
                Add(TokenKind.String, start, startLine, column, value);
            }
            else if (c == '0' && (At(1) == 'x' || At(1) == 'b') && IsHexOrBit(At(1), At(2)))
            {
                var hex = At(1) == 'x';
                position += 2;
                while (position < text.Length && (hex ? IsHex(text[position]) : text[position] is '0' or '1'))
                {
                    position++;
                }

                Add(TokenKind.BinaryLiteral, start, startLine, column, null);
            }
            else if (char.IsDigit(c) || (c == '.' && char.IsDigit(At(1)) && !PreviousIsName()))
            {
                Number(start, startLine, column);
            }
            else if (IsWordStart(c))
            {
                while (position < text.Length && IsWordPart(text[position]))
                {
                    position++;
                }

                if (c == '_' && position < text.Length && text[position] == '\'')
                {
                    // Charset introducer: _utf8mb4'text' is one string.
                    var value = Quoted('\'', true, startLine, column, "string");
                    Add(TokenKind.String, start, startLine, column, value);
                    return;
                }

                Add(TokenKind.Word, start, startLine, column, null);
            }
            else if (c == '@')
            {
                position++;
                if (At(0) == '@')
                {
                    position++;
                }

                if (At(0) is '`' or '\'' or '"')
                {
                    Quoted(At(0), At(0) != '`', startLine, column, "variable name");
                }
                else
                {
                    while (position < text.Length && (IsWordPart(text[position]) || text[position] == '.'))
                    {
                        position++;
                    }
                }

                Add(TokenKind.Parameter, start, startLine, column, null);
            }
            else if (c == '?')
            {
                position++;
                Add(TokenKind.Parameter, start, startLine, column, null);
            }
            else if (c is '(' or ')' or ',' or ';' or '.' or '[' or ']' or '{' or '}')
            {
                position++;
                Add(TokenKind.Punctuation, start, startLine, column, null);
            }
            else if ("=<>!~+-*/%^&|:".IndexOf(c) >= 0)
            {
                Operator(start, startLine, column);
            }
            else
            {
                position++;
                Error(startLine, column, start, $"unexpected character '{c}'");
            }
        }

        private bool PreviousIsName() =>
            Tokens.Count > 0 && Tokens[Tokens.Count - 1].End == position && Tokens[Tokens.Count - 1].IsIdentifierLike;

        private void Operator(int start, int startLine, int column)
        {
            var length = 1;
            foreach (var op in MultiCharOperators)
            {
                if (string.CompareOrdinal(text, position, op, 0, op.Length) == 0)
                {
                    length = op.Length;
                    break;
                }
            }

            position += length;
            Add(TokenKind.Operator, start, startLine, column, null);
        }

        private void Number(int start, int startLine, int column)
        {
            while (position < text.Length && char.IsDigit(text[position]))
            {
                position++;
            }

            if (position < text.Length && IsWordStart(text[position]) && !(text[position] is 'e' or 'E' && ExponentFollows()))
            {
                // MySQL allows identifiers that start with digits (1st_col).
                while (position < text.Length && IsWordPart(text[position]))
                {
                    position++;
                }

                Add(TokenKind.Word, start, startLine, column, null);
                return;
            }

            if (At(0) == '.' && !IsWordStart(At(1)))
            {
                position++;
                while (position < text.Length && char.IsDigit(text[position]))
                {
                    position++;
                }
            }

            if (At(0) is 'e' or 'E' && ExponentFollows())
            {
                position += At(1) is '+' or '-' ? 2 : 1;
                while (position < text.Length && char.IsDigit(text[position]))
                {
                    position++;
                }
            }

            Add(TokenKind.Number, start, startLine, column, null);
        }

        private bool ExponentFollows() => char.IsDigit(At(1)) || (At(1) is '+' or '-' && char.IsDigit(At(2)));

        /// <summary>Reads a quoted run starting at the opening quote; returns the unescaped content.</summary>
        private string Quoted(char quote, bool backslashEscapes, int startLine, int column, string what)
        {
            var start = position;

            // Most quoted runs have no escape, doubled quote or line break: their content is a plain
            // run of the source, shared through the pool instead of built char by char.
            var end = position + 1;
            while (end < text.Length && text[end] != quote && text[end] != '\n' && !(backslashEscapes && text[end] == '\\'))
            {
                end++;
            }

            if (end < text.Length && text[end] == quote && (end + 1 >= text.Length || text[end + 1] != quote))
            {
                position = end + 1;
                return pool.Get(text, start + 1, end - start - 1);
            }

            position++;
            var value = new StringBuilder();
            while (position < text.Length)
            {
                var c = text[position];
                if (c == quote)
                {
                    if (At(1) == quote)
                    {
                        value.Append(quote);
                        position += 2;
                        continue;
                    }

                    position++;
                    return value.ToString();
                }

                if (c == '\\' && backslashEscapes && position + 1 < text.Length)
                {
                    value.Append(Unescape(text[position + 1]));
                    position += 2;
                    continue;
                }

                if (c == '\n')
                {
                    NewLine(position + 1);
                }

                value.Append(c);
                position++;
            }

            Error(startLine, column, start, $"unterminated {what}: expected closing {quote} before end of file");
            return value.ToString();
        }

        private static string Unescape(char c) => c switch
        {
            'n' => "\n",
            't' => "\t",
            'r' => "\r",
            '0' => "\0",
            'b' => "\b",
            'Z' => "\u001a",
            '%' => "\\%",
            '_' => "\\_",
            _ => c.ToString(),
        };

        private void Add(TokenKind kind, int start, int startLine, int column, string? value)
        {
            var raw = pool.Get(text, start, position - start);
            Tokens.Add(new Token(kind, raw, value ?? raw, start, startLine, column));
            lastTokenLine = line;
        }

        private void Error(int errorLine, int column, int start, string message) =>
            Diagnostics.Add(Diagnostic.Create(
                DiagnosticCatalog.SyntaxError,
                message,
                new SourceSpan(file.Path, errorLine, column, start, 1)));

        private static bool IsHexOrBit(char marker, char next) => marker == 'x' ? IsHex(next) : next is '0' or '1';

        private static bool IsHex(char c) => char.IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

        private static bool IsWordStart(char c) => char.IsLetter(c) || c == '_' || c == '$' || c > 0x7f;

        private static bool IsWordPart(char c) => char.IsLetterOrDigit(c) || c == '_' || c == '$' || (c > 0x7f && !char.IsWhiteSpace(c));
    }
}
