using System;
using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Dialects;

/// <summary>
/// The columns a view returns when its CREATE VIEW names none: read from the top-level select list of
/// its query (<c>expr AS name</c>, <c>expr name</c>, <c>t.col</c>, and <c>*</c> / <c>t.*</c> over a table
/// of the schema). Items the engine would name by itself (<c>?column?</c>, <c>count(*)</c>) are left out.
/// </summary>
public static class ViewOutputColumns
{
    public static IReadOnlyList<string> Of(View view, ISqlDialect dialect, Schema schema)
    {
        if (view.ColumnNames.Count > 0)
        {
            return view.ColumnNames;
        }

        var tokens = dialect.Lex(new SourceFile(string.Empty, view.Definition)).Tokens.Where(t => t.Kind != TokenKind.EndOfFile).ToList();
        var select = FirstTopLevel(tokens, 0, t => t.IsWord("select"));
        if (select < 0)
        {
            return Array.Empty<string>();
        }

        var start = select + 1;
        while (start < tokens.Count && (tokens[start].IsWord("distinct") || tokens[start].IsWord("all")))
        {
            start++;
        }

        var end = FirstTopLevel(tokens, start, t => t.IsWord("from") || t.IsWord("union") || t.IsWord("except") || t.IsWord("intersect") || t.IsPunctuation(';'));
        end = end < 0 ? tokens.Count : end;
        var columns = new List<string>();
        foreach (var item in SplitTopLevel(tokens, start, end))
        {
            if (item.Count == 0)
            {
                continue;
            }

            if (item[item.Count - 1].IsOperator("*") || item[item.Count - 1].IsPunctuation('*'))
            {
                columns.AddRange(Star(item, tokens, end, schema));
            }
            else if (Name(item) is { } name)
            {
                columns.Add(name);
            }
        }

        return columns;
    }

    /// <summary><c>x AS name</c>, <c>x name</c> or a column reference <c>a.b.col</c>: the name; null when the engine would invent one.</summary>
    private static string? Name(List<Token> item)
    {
        var last = item[item.Count - 1];
        if (!last.IsIdentifierLike)
        {
            return null;
        }

        if (item.Count == 1)
        {
            return last.Value;
        }

        var before = item[item.Count - 2];
        if (before.IsWord("as") || before.IsPunctuation('.'))
        {
            return last.Value;
        }

        // "expr alias": an alias follows a complete expression (a closing paren, a literal or an identifier).
        return before.IsPunctuation(')') || before.IsIdentifierLike || before.Kind is TokenKind.String or TokenKind.Number ? last.Value : null;
    }

    /// <summary><c>*</c> or <c>t.*</c>: the columns of the one table it stands for, when the schema has it.</summary>
    private static IEnumerable<string> Star(List<Token> item, List<Token> tokens, int from, Schema schema)
    {
        var qualifier = item.Count >= 3 && item[item.Count - 2].IsPunctuation('.') ? item[item.Count - 3].Value : null;
        var sources = new List<(string Table, string Alias)>();
        for (var i = from + 1; i < tokens.Count; i++)
        {
            if (!tokens[i].IsIdentifierLike || tokens[i].Kind == TokenKind.Word && Keyword(tokens[i]))
            {
                break;
            }

            var name = tokens[i].Value;
            while (i + 2 < tokens.Count && tokens[i + 1].IsPunctuation('.') && tokens[i + 2].IsIdentifierLike)
            {
                i += 2;
                name = tokens[i].Value;
            }

            var alias = name;
            if (i + 1 < tokens.Count && tokens[i + 1].IsWord("as"))
            {
                i++;
            }

            if (i + 1 < tokens.Count && tokens[i + 1].IsIdentifierLike && !Keyword(tokens[i + 1]))
            {
                alias = tokens[++i].Value;
            }

            sources.Add((name, alias));
            if (!(i + 1 < tokens.Count && tokens[i + 1].IsPunctuation(',')))
            {
                break;
            }

            i++;
        }

        var chosen = qualifier is null ? (sources.Count == 1 ? sources[0] : default) : sources.FirstOrDefault(s => string.Equals(s.Alias, qualifier, StringComparison.OrdinalIgnoreCase));
        var table = chosen.Table is null ? null : schema.Tables.FirstOrDefault(t => string.Equals(t.Name.Name, chosen.Table, StringComparison.OrdinalIgnoreCase));
        return table?.Columns.Select(c => c.Name) ?? Enumerable.Empty<string>();
    }

    private static bool Keyword(Token token) =>
        token.Kind == TokenKind.Word && (token.IsWord("where") || token.IsWord("join") || token.IsWord("left") || token.IsWord("right") || token.IsWord("inner")
            || token.IsWord("outer") || token.IsWord("cross") || token.IsWord("full") || token.IsWord("group") || token.IsWord("order") || token.IsWord("limit")
            || token.IsWord("having") || token.IsWord("window") || token.IsWord("union") || token.IsWord("on") || token.IsWord("natural") || token.IsWord("lateral"));

    private static int FirstTopLevel(List<Token> tokens, int from, Func<Token, bool> match)
    {
        var depth = 0;
        for (var i = from; i < tokens.Count; i++)
        {
            if (tokens[i].IsPunctuation('('))
            {
                depth++;
            }
            else if (tokens[i].IsPunctuation(')'))
            {
                depth--;
            }
            else if (depth == 0 && match(tokens[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static IEnumerable<List<Token>> SplitTopLevel(List<Token> tokens, int start, int end)
    {
        var item = new List<Token>();
        var depth = 0;
        for (var i = start; i < end; i++)
        {
            var token = tokens[i];
            depth += token.IsPunctuation('(') ? 1 : token.IsPunctuation(')') ? -1 : 0;
            if (depth == 0 && token.IsPunctuation(','))
            {
                yield return item;
                item = new List<Token>();
                continue;
            }

            item.Add(token);
        }

        yield return item;
    }
}
