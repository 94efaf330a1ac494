using System.Collections.Generic;
using System.Globalization;
using System.Text;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Dialects.Postgres;

/// <summary>
/// Splits PostgreSQL SQL into tokens. Never throws: an unterminated literal or a stray character
/// becomes an SB0001 diagnostic and lexing goes on. Identifiers are not case-folded here (the
/// parser folds bare words), so error messages can quote the text as written.
/// psql meta-commands (a line starting with a backslash, e.g. pg_dump's <c>\restrict</c>) are kept as comments.
/// </summary>
public static class PostgresLexer
{
    private const string OperatorChars = "+-*/<>=~!@#%^&|`?";

    public static LexResult Lex(SourceFile file) => new Scanner(file).Run();

    private sealed class Scanner
    {
        private readonly SourceFile file;
        private readonly string text;
        private readonly StringPool pool;
        private readonly TokenList tokens;
        private readonly List<Comment> comments = new();
        private readonly List<Diagnostic> diagnostics = new();
        private int pos;
        private int line = 1;
        private int lineStart;
        private int lastTokenLine;

        public Scanner(SourceFile file)
        {
            this.file = file;
            text = file.Text;
            pool = new StringPool(text.Length);
            tokens = new TokenList(text.Length);
        }

        public LexResult Run()
        {
            while (pos < text.Length)
            {
                var c = text[pos];
                if (c == '\n')
                {
                    NewLine(pos + 1);
                    pos++;
                }
                else if (char.IsWhiteSpace(c))
                {
                    pos++;
                }
                else
                {
                    ScanToken(c);
                }
            }

            tokens.Add(new Token(TokenKind.EndOfFile, string.Empty, string.Empty, text.Length, line, pos - lineStart + 1));
            return new LexResult(file, tokens, comments, diagnostics);
        }

        private void NewLine(int next)
        {
            line++;
            lineStart = next;
        }

        private void ScanToken(char c)
        {
            var start = pos;
            var startLine = line;
            var startColumn = pos - lineStart + 1;
            if (c == '-' && Peek(1) == '-')
            {
                var end = text.IndexOf('\n', pos);
                end = end < 0 ? text.Length : end;
                AddComment(start, end, startLine, startColumn);
                pos = end;
                return;
            }

            if (c == '/' && Peek(1) == '*')
            {
                ScanBlockComment(start, startLine, startColumn);
                return;
            }

            if (c == '\\' && text.Substring(lineStart, pos - lineStart).Trim().Length == 0)
            {
                var end = text.IndexOf('\n', pos);
                end = end < 0 ? text.Length : end;
                AddComment(start, end, startLine, startColumn);
                pos = end;
                return;
            }

            if ((c == 'E' || c == 'e') && Peek(1) == '\'')
            {
                pos++;
                var value = ScanQuoted('\'', backslashEscapes: true);
                Add(TokenKind.String, start, value, startLine, startColumn);
                return;
            }

            if ((c == 'N' || c == 'n') && Peek(1) == '\'')
            {
                pos++;
                var value = ScanQuoted('\'', backslashEscapes: false);
                Add(TokenKind.String, start, value, startLine, startColumn);
                return;
            }

            if ((c == 'U' || c == 'u') && Peek(1) == '&' && (Peek(2) == '\'' || Peek(2) == '"'))
            {
                pos += 2;
                var quote = text[pos];
                var value = DecodeUnicodeEscapes(ScanQuoted(quote, backslashEscapes: false));
                Add(quote == '\'' ? TokenKind.String : TokenKind.QuotedIdentifier, start, value, startLine, startColumn);
                return;
            }

            if ((c == 'B' || c == 'b' || c == 'X' || c == 'x') && Peek(1) == '\'')
            {
                pos++;
                var value = ScanQuoted('\'', backslashEscapes: false);
                Add(TokenKind.BinaryLiteral, start, value, startLine, startColumn);
                return;
            }

            if (c == '\'')
            {
                Add(TokenKind.String, start, ScanQuoted('\'', backslashEscapes: false), startLine, startColumn);
                return;
            }

            if (c == '"')
            {
                var value = ScanQuoted('"', backslashEscapes: false);
                if (value.Length == 0)
                {
                    Error(startLine, startColumn, start, "zero-length delimited identifier \"\"");
                }

                Add(TokenKind.QuotedIdentifier, start, value, startLine, startColumn);
                return;
            }

            if (c == '$')
            {
                ScanDollar(start, startLine, startColumn);
                return;
            }

            if (char.IsDigit(c) || (c == '.' && char.IsDigit(Peek(1))))
            {
                ScanNumber();
                Add(TokenKind.Number, start, null, startLine, startColumn);
                return;
            }

            if (IsIdentifierStart(c))
            {
                pos++;
                while (pos < text.Length && IsIdentifierPart(text[pos]))
                {
                    pos++;
                }

                Add(TokenKind.Word, start, null, startLine, startColumn);
                return;
            }

            if (c == ':' && Peek(1) == ':')
            {
                pos += 2;
                Add(TokenKind.Operator, start, null, startLine, startColumn);
                return;
            }

            if ("(),;.[]".IndexOf(c) >= 0)
            {
                pos++;
                Add(TokenKind.Punctuation, start, null, startLine, startColumn);
                return;
            }

            if (c == ':')
            {
                pos++;
                Add(TokenKind.Operator, start, null, startLine, startColumn);
                return;
            }

            if (OperatorChars.IndexOf(c) >= 0)
            {
                ScanOperator();
                Add(TokenKind.Operator, start, null, startLine, startColumn);
                return;
            }

            pos++;
            Error(startLine, startColumn, start, $"unexpected character '{c}'");
        }

        private char Peek(int offset) => pos + offset < text.Length ? text[pos + offset] : '\0';

        /// <param name="value">The processed value; null when it is the raw text.</param>
        private void Add(TokenKind kind, int start, string? value, int startLine, int startColumn)
        {
            var raw = pool.Get(text, start, pos - start);
            tokens.Add(new Token(kind, raw, value ?? raw, start, startLine, startColumn));
            lastTokenLine = line;
        }

        private void AddComment(int start, int end, int startLine, int startColumn)
        {
            var ownLine = lastTokenLine != startLine || tokens.Count == 0;
            comments.Add(new Comment(text.Substring(start, end - start), start, startLine, startColumn, ownLine));
        }

        private void Error(int errorLine, int column, int start, string message) =>
            diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.SyntaxError, message, new SourceSpan(file.Path, errorLine, column, start, 1)));

        private void ScanBlockComment(int start, int startLine, int startColumn)
        {
            var depth = 0;
            while (pos < text.Length)
            {
                if (text[pos] == '/' && Peek(1) == '*')
                {
                    depth++;
                    pos += 2;
                }
                else if (text[pos] == '*' && Peek(1) == '/')
                {
                    depth--;
                    pos += 2;
                    if (depth == 0)
                    {
                        AddComment(start, pos, startLine, startColumn);
                        return;
                    }
                }
                else
                {
                    if (text[pos] == '\n')
                    {
                        NewLine(pos + 1);
                    }

                    pos++;
                }
            }

            Error(startLine, startColumn, start, "unterminated /* comment");
            AddComment(start, pos, startLine, startColumn);
        }

        /// <summary>Reads a quoted run starting at the opening quote; a doubled quote stands for one.</summary>
        private string ScanQuoted(char quote, bool backslashEscapes)
        {
            var openLine = line;
            var openColumn = pos - lineStart + 1;
            var openStart = pos;
            pos++;
            var value = new StringBuilder();
            while (pos < text.Length)
            {
                var c = text[pos];
                if (c == quote)
                {
                    if (Peek(1) == quote)
                    {
                        value.Append(quote);
                        pos += 2;
                        continue;
                    }

                    pos++;
                    return value.ToString();
                }

                if (backslashEscapes && c == '\\' && pos + 1 < text.Length)
                {
                    pos++;
                    value.Append(Unescape());
                    continue;
                }

                if (c == '\n')
                {
                    NewLine(pos + 1);
                }

                value.Append(c);
                pos++;
            }

            var what = quote == '"' ? "quoted identifier" : "string literal";
            Error(openLine, openColumn, openStart, $"unterminated {what}: missing closing {quote}");
            return value.ToString();
        }

        /// <summary>One backslash escape of an E'...' string; <see cref="pos"/> is just past the backslash.</summary>
        private string Unescape()
        {
            var c = text[pos++];
            switch (c)
            {
                case 'b': return "\b";
                case 'f': return "\f";
                case 'n': return "\n";
                case 'r': return "\r";
                case 't': return "\t";
                case 'x':
                    return ((char)ReadDigits(16, 2)).ToString();
                case 'u':
                    return char.ConvertFromUtf32(ReadDigits(16, 4));
                case 'U':
                    return char.ConvertFromUtf32(ReadDigits(16, 8));
                default:
                    if (c >= '0' && c <= '7')
                    {
                        pos--;
                        return ((char)ReadDigits(8, 3)).ToString();
                    }

                    if (c == '\n')
                    {
                        NewLine(pos);
                    }

                    return c.ToString();
            }
        }

        private int ReadDigits(int radix, int max)
        {
            var value = 0;
            var count = 0;
            while (count < max && pos < text.Length && DigitValue(text[pos], radix) is int digit)
            {
                value = (value * radix) + digit;
                pos++;
                count++;
            }

            return value <= 0x10FFFF ? value : 0xFFFD;
        }

        private static int? DigitValue(char c, int radix)
        {
            var value = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;
            return value < radix ? value : null;
        }

        private static string DecodeUnicodeEscapes(string value)
        {
            if (value.IndexOf('\\') < 0)
            {
                return value;
            }

            var builder = new StringBuilder();
            for (var i = 0; i < value.Length; i++)
            {
                if (value[i] == '\\' && i + 1 < value.Length && value[i + 1] == '\\')
                {
                    builder.Append('\\');
                    i++;
                }
                else if (value[i] == '\\' && value.Length > i + 4 && TryHex(value.Substring(i + 1, 4), out var code))
                {
                    builder.Append((char)code);
                    i += 4;
                }
                else if (value[i] == '\\' && value.Length > i + 7 && value[i + 1] == '+' && TryHex(value.Substring(i + 2, 6), out var wide) && wide <= 0x10FFFF)
                {
                    builder.Append(char.ConvertFromUtf32(wide));
                    i += 7;
                }
                else
                {
                    builder.Append(value[i]);
                }
            }

            return builder.ToString();
        }

        private static bool TryHex(string digits, out int value) =>
            int.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);

        /// <summary><c>$1</c> parameters, and dollar-quoted strings <c>$$...$$</c> / <c>$tag$...$tag$</c>.</summary>
        private void ScanDollar(int start, int startLine, int startColumn)
        {
            if (char.IsDigit(Peek(1)))
            {
                pos++;
                while (pos < text.Length && char.IsDigit(text[pos]))
                {
                    pos++;
                }

                Add(TokenKind.Parameter, start, null, startLine, startColumn);
                return;
            }

            var tagEnd = pos + 1;
            while (tagEnd < text.Length && text[tagEnd] != '$' && IsIdentifierPart(text[tagEnd]) && text[tagEnd] != '$')
            {
                tagEnd++;
            }

            if (tagEnd >= text.Length || text[tagEnd] != '$' || (tagEnd > pos + 1 && char.IsDigit(text[pos + 1])))
            {
                pos++;
                Error(startLine, startColumn, start, "unexpected character '$'");
                return;
            }

            var tag = text.Substring(pos, tagEnd - pos + 1);
            var bodyStart = tagEnd + 1;
            var close = text.IndexOf(tag, bodyStart, System.StringComparison.Ordinal);
            var bodyEnd = close < 0 ? text.Length : close;
            for (var i = bodyStart; i < bodyEnd; i++)
            {
                if (text[i] == '\n')
                {
                    NewLine(i + 1);
                }
            }

            if (close < 0)
            {
                pos = text.Length;
                Error(startLine, startColumn, start, $"unterminated dollar-quoted string: missing closing {tag}");
            }
            else
            {
                pos = close + tag.Length;
            }

            Add(TokenKind.String, start, text.Substring(bodyStart, bodyEnd - bodyStart), startLine, startColumn);
        }

        private void ScanNumber()
        {
            if (text[pos] == '0' && (Peek(1) == 'x' || Peek(1) == 'X' || Peek(1) == 'o' || Peek(1) == 'O' || Peek(1) == 'b' || Peek(1) == 'B')
                && char.IsLetterOrDigit(Peek(2)))
            {
                pos += 2;
                while (pos < text.Length && char.IsLetterOrDigit(text[pos]))
                {
                    pos++;
                }

                return;
            }

            while (pos < text.Length && char.IsDigit(text[pos]))
            {
                pos++;
            }

            // "1..10" is two numbers and a range operator in array slices; only one dot belongs to a number.
            if (pos < text.Length && text[pos] == '.' && Peek(1) != '.')
            {
                pos++;
                while (pos < text.Length && char.IsDigit(text[pos]))
                {
                    pos++;
                }
            }

            if (pos < text.Length && (text[pos] == 'e' || text[pos] == 'E')
                && (char.IsDigit(Peek(1)) || ((Peek(1) == '+' || Peek(1) == '-') && char.IsDigit(Peek(2)))))
            {
                pos += 2;
                while (pos < text.Length && char.IsDigit(text[pos]))
                {
                    pos++;
                }
            }
        }

        /// <summary>
        /// PostgreSQL operator rules: the longest run of operator characters, cut before an embedded
        /// comment start; a multi-character operator ends in + or - only if it holds one of ~!@#%^&amp;|`?.
        /// </summary>
        private void ScanOperator()
        {
            var start = pos;
            var end = pos;
            while (end < text.Length && OperatorChars.IndexOf(text[end]) >= 0)
            {
                if (end > start && ((text[end] == '-' && text[end - 1] == '-') || (text[end] == '*' && text[end - 1] == '/')))
                {
                    end--;
                    break;
                }

                if (end + 1 < text.Length && ((text[end] == '-' && text[end + 1] == '-') || (text[end] == '/' && text[end + 1] == '*')) && end > start)
                {
                    break;
                }

                end++;
            }

            if (end - start > 1)
            {
                var run = text.Substring(start, end - start);
                var special = run.IndexOfAny("~!@#%^&|`?".ToCharArray()) >= 0;
                while (!special && end - start > 1 && (text[end - 1] == '+' || text[end - 1] == '-'))
                {
                    end--;
                }
            }

            pos = end > start ? end : start + 1;
        }

        private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c == '_' || c > 127;

        private static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c == '_' || c == '$' || c > 127;
    }
}
