using System.Collections.Generic;
using System.Text;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Syntax;

/// <summary>
/// Reads <c>-- schema:</c> annotations out of comments:
/// <c>renamed-from old_name</c>, <c>deprecated "message"</c>, <c>allow SB1002 table.column "reason"</c>.
/// Malformed ones become SB0005 diagnostics with the comment's location.
/// </summary>
public static class AnnotationReader
{
    private const string Prefix = "schema:";

    public static IReadOnlyList<Annotation> Read(LexResult lex, ICollection<Diagnostic> diagnostics)
    {
        var result = new List<Annotation>();
        foreach (var comment in lex.Comments)
        {
            var body = CommentBody(comment.Text);
            if (body is null || !body.StartsWith(Prefix, System.StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var span = new SourceSpan(lex.File.Path, comment.Line, comment.Column, comment.Start, comment.Text.Length);
            var annotation = Parse(body.Substring(Prefix.Length), span, comment.OwnLine, out var error);
            if (annotation is null)
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.BadAnnotation, error!, span));
            }
            else
            {
                result.Add(annotation);
            }
        }

        return result;
    }

    private static string? CommentBody(string text)
    {
        if (text.StartsWith("--", System.StringComparison.Ordinal))
        {
            return text.Substring(2).Trim();
        }

        if (text.StartsWith("#", System.StringComparison.Ordinal))
        {
            return text.Substring(1).Trim();
        }

        return null;
    }

    private static Annotation? Parse(string text, SourceSpan span, bool ownLine, out string? error)
    {
        var words = Split(text, out error);
        if (words is null)
        {
            return null;
        }

        var kind = words.Count > 0 ? words[0].ToLowerInvariant() : string.Empty;
        switch (kind)
        {
            case "renamed-from":
                if (words.Count != 2 || words[1].Length == 0)
                {
                    error = "schema:renamed-from takes one name: -- schema:renamed-from old_name";
                    return null;
                }

                return new Annotation(AnnotationKind.RenamedFrom, words[1], span, ownLine);
            case "deprecated":
                if (words.Count > 2)
                {
                    error = "schema:deprecated takes one quoted message: -- schema:deprecated \"use email_address\"";
                    return null;
                }

                return new Annotation(AnnotationKind.Deprecated, words.Count == 2 ? words[1] : "Deprecated", span, ownLine);
            case "allow":
                if (words.Count != 4 || DiagnosticCatalog.Find(words[1].ToUpperInvariant()) is null || words[3].Trim().Length == 0)
                {
                    error = words.Count == 4 && DiagnosticCatalog.Find(words[1].ToUpperInvariant()) is null
                        ? $"schema:allow names an unknown diagnostic id '{words[1]}'"
                        : "schema:allow takes an id, an object and a quoted reason: -- schema:allow SB1002 users.legacy_email \"reason\"";
                    return null;
                }

                return new Annotation(AnnotationKind.Allow, words[1].ToUpperInvariant(), span, ownLine)
                {
                    Target = words[2],
                    Reason = words[3],
                };
            default:
                error = $"unknown annotation 'schema:{kind}'; expected renamed-from, deprecated or allow";
                return null;
        }
    }

    /// <summary>Splits on spaces; a double-quoted part is one word (<c>\"</c> escapes a quote). Names may be quoted with backticks.</summary>
    private static List<string>? Split(string text, out string? error)
    {
        error = null;
        var words = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var word = new StringBuilder();
            if (c == '"' || c == '`')
            {
                var quote = c;
                i++;
                var closed = false;
                while (i < text.Length)
                {
                    if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] == quote)
                    {
                        word.Append(quote);
                        i += 2;
                        continue;
                    }

                    if (text[i] == quote)
                    {
                        closed = true;
                        i++;
                        break;
                    }

                    word.Append(text[i++]);
                }

                if (!closed)
                {
                    error = "unterminated quoted text in annotation";
                    return null;
                }
            }
            else
            {
                while (i < text.Length && !char.IsWhiteSpace(text[i]))
                {
                    word.Append(text[i++]);
                }
            }

            words.Add(word.ToString());
        }

        return words;
    }
}
