using System;
using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Dialects.MySql;

/// <summary>
/// Brings a view's query to the form MariaDB stores and SHOW CREATE VIEW prints, so that the
/// authored view and the server's rewrite compare equal. The canonical form:
/// <list type="bullet">
/// <item>every column reference qualified with its table alias or name (resolved against the
/// tables and views of the schema), <c>*</c> expanded;</item>
/// <item>every select item with <c>AS `alias`</c>; an explicit view column list becomes the aliases;</item>
/// <item>joins nested left-deep in parentheses, <c>(a join b on(cond))</c>; comma joins become
/// <c>join</c>, <c>USING (c)</c> becomes <c>on(a.c = b.c)</c>;</item>
/// <item>expressions as <see cref="MySqlExpressionParser"/> prints them; keywords lower case.</item>
/// </list>
/// ALGORITHM (default UNDEFINED) and SQL SECURITY (default DEFINER) are explicit options; DEFINER
/// is dropped (it names an account, not schema). A query the formatter cannot read keeps its
/// token text.
/// </summary>
internal sealed class MySqlViewNormalizer
{
    private static readonly HashSet<string> ClauseWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "from", "where", "group", "having", "order", "limit", "union", "on", "using", "join", "inner", "left",
        "right", "cross", "natural", "straight_join", "window", "for", "into", "lock", "with", "except", "intersect",
    };

    private readonly Dictionary<string, Table> tables;
    private readonly Dictionary<string, View> views;
    private readonly Dictionary<string, List<string>> viewColumns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, View> done = new(StringComparer.Ordinal);
    private readonly HashSet<string> inProgress = new(StringComparer.Ordinal);

    public MySqlViewNormalizer(IEnumerable<Table> tables, IEnumerable<View> views)
    {
        this.tables = new Dictionary<string, Table>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            this.tables[table.Name.Name] = table;
        }

        this.views = new Dictionary<string, View>(StringComparer.Ordinal);
        foreach (var view in views)
        {
            this.views[view.Name.Name] = view;
        }
    }

    /// <summary>Deeper subqueries and parenthesized joins are not formatted (the view keeps its token text).</summary>
    private const int MaxNesting = 200;

    private int nesting;

    public List<View> Normalize() => views.Values.Select(v => NormalizeView(v.Name.Name)).ToList();

    private View NormalizeView(string name)
    {
        if (done.TryGetValue(name, out var finished))
        {
            return finished;
        }

        var view = views[name];
        inProgress.Add(name);
        var lex = MySqlLexer.Lex(new SourceFile(string.Empty, view.Definition));
        string definition;
        List<string> columns;
        try
        {
            var query = new Query(this, lex.Tokens, lex.File.Text, null);
            definition = query.Format(0, lex.Tokens.Count - 1, view.ColumnNames.Count > 0 ? view.ColumnNames.ToList() : null, out columns);
        }
        catch (Exception error) when (error is SyntaxErrorException or InvalidOperationException or ArgumentException)
        {
            definition = MySqlExpressions.TokenText(lex.Tokens, 0, lex.Tokens.Count - 1);
            columns = view.ColumnNames.ToList();
        }

        inProgress.Remove(name);
        if (view.Options.Any(o => o.Name == "algorithm" && o.Value == "merge") && !Mergeable(definition))
        {
            // The server stores UNDEFINED when a view cannot be merged into the outer query.
            view = view with { Options = view.Options.Where(o => o.Name != "algorithm").ToEquatableList() };
        }

        var options = new Dictionary<string, string>(StringComparer.Ordinal) { ["algorithm"] = "undefined", ["security"] = "definer" };
        foreach (var option in view.Options)
        {
            options[option.Name.ToLowerInvariant()] = option.Value.ToLowerInvariant();
        }

        var normalized = view with
        {
            Definition = definition,
            ColumnNames = EquatableList<string>.Empty,
            CheckOption = view.CheckOption?.ToUpperInvariant(),
            Options = options.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => new ObjectOption(o.Key, o.Value)).ToEquatableList(),
            Comment = null,
        };
        viewColumns[name] = columns;
        done[name] = normalized;
        return normalized;
    }

    /// <summary>One more level of query or join nesting; the formatter recurses per level, and a stack overflow cannot be caught.</summary>
    private void Enter(Token at)
    {
        if (++nesting > MaxNesting)
        {
            nesting--;
            throw new SyntaxErrorException(at, "query nested more than " + MaxNesting + " levels deep");
        }
    }

    private static bool Mergeable(string definition) =>
        !definition.StartsWith("select distinct ", StringComparison.Ordinal)
        && new[] { " group by ", " having ", " union ", " limit ", "count(", "sum(", "min(", "max(", "avg(", "(select " }
            .All(marker => definition.IndexOf(marker, StringComparison.Ordinal) < 0);

    /// <summary>Output columns of a table or view, or null when the schema does not define it.</summary>
    private List<string>? ColumnsOf(string name)
    {
        if (tables.TryGetValue(name, out var table))
        {
            return table.Columns.Select(c => c.Name).ToList();
        }

        if (views.ContainsKey(name) && !inProgress.Contains(name))
        {
            NormalizeView(name);
            return viewColumns[name];
        }

        return null;
    }

    /// <summary>One FROM source visible to column references: its qualifier and columns.</summary>
    private sealed record Source(string Qualifier, List<string>? Columns);

    /// <summary>Formats one query level (SELECT ... [UNION ...]) with its own scope.</summary>
    private sealed class Query
    {
        private readonly MySqlViewNormalizer owner;
        private readonly IReadOnlyList<Token> tokens;
        private readonly string source;
        private readonly Query? outer;
        private readonly List<Source> scope = new();
        private int position;
        private int end;

        /// <summary>
        /// Whether unaliased select items get <c>AS</c> their name: at the top and in derived tables;
        /// the server prints only written aliases in a subquery inside an expression.
        /// </summary>
        public bool ImplicitAliases { get; init; } = true;

        public Query(MySqlViewNormalizer owner, IReadOnlyList<Token> tokens, string source, Query? outer)
        {
            this.owner = owner;
            this.tokens = tokens;
            this.source = source;
            this.outer = outer;
        }

        private Token Current => position < end ? tokens[position] : tokens[tokens.Count - 1];

        public string Format(int start, int stop, List<string>? columnNames, out List<string> columns)
        {
            position = start;
            end = stop;
            owner.Enter(tokens[Math.Min(start, tokens.Count - 1)]);
            try
            {
                // A builder, not string +=: a chain of thousands of UNIONs stays linear.
                var text = new System.Text.StringBuilder(FormatSelect(columnNames, out columns));
                while (AcceptWord("union"))
                {
                    var all = AcceptWord("all") ? "union all " : "union ";
                    AcceptWord("distinct");
                    var next = new Query(owner, tokens, source, outer) { ImplicitAliases = ImplicitAliases };
                    text.Append(' ').Append(all).Append(next.FormatFrom(position, end, out var after));
                    position = after;
                }

                if (position < end)
                {
                    throw new SyntaxErrorException(Current, "expected end of query, found " + Current.Describe());
                }

                return text.ToString();
            }
            finally
            {
                owner.nesting--;
            }
        }

        private string FormatFrom(int start, int stop, out int after)
        {
            position = start;
            end = stop;
            var text = FormatSelect(null, out _);
            after = position;
            return text;
        }

        private string FormatSelect(List<string>? columnNames, out List<string> columns)
        {
            ExpectWord("select");
            var head = "select ";
            if (AcceptWord("distinct") || AcceptWord("distinctrow"))
            {
                head += "distinct ";
            }
            else
            {
                AcceptWord("all");
            }

            // The select list refers to FROM sources that follow it: read FROM first.
            var itemsStart = position;
            SkipToClause("from");
            var from = string.Empty;
            if (AcceptWord("from"))
            {
                from = " from " + FormatTableReferences();
            }

            var afterFrom = position;
            position = itemsStart;
            var items = ReadSelectItems();
            position = afterFrom;
            columns = new List<string>();
            var printed = new List<string>();
            for (var i = 0; i < items.Count; i++)
            {
                var alias = columnNames is not null && i < columnNames.Count ? columnNames[i] : items[i].Alias;
                columns.Add(alias);
                printed.Add(ImplicitAliases || items[i].Explicit || columnNames is not null
                    ? items[i].Expression + " AS " + MySqlNames.Quote(alias)
                    : items[i].Expression);
            }

            var text = head + string.Join(",", printed) + from;
            if (AcceptWord("where"))
            {
                text += " where " + Expression();
            }

            if (AcceptWord("group"))
            {
                ExpectWord("by");
                text += " group by " + string.Join(",", ExpressionList());
            }

            if (AcceptWord("having"))
            {
                text += " having " + Expression();
            }

            if (AcceptWord("order"))
            {
                ExpectWord("by");
                var keys = new List<string>();
                do
                {
                    // The server resolves a select-list alias in ORDER BY to the aliased expression.
                    var key = SelectAlias(items) ?? Expression();
                    if (AcceptWord("desc"))
                    {
                        key += " desc";
                    }
                    else
                    {
                        AcceptWord("asc");
                    }

                    keys.Add(key);
                }
                while (AcceptPunctuation(','));
                text += " order by " + string.Join(",", keys);
            }

            if (AcceptWord("limit"))
            {
                var first = ExpectNumber();
                if (AcceptPunctuation(','))
                {
                    text += " limit " + first + "," + ExpectNumber();
                }
                else if (AcceptWord("offset"))
                {
                    var offset = ExpectNumber();
                    text += " limit " + offset + "," + first;
                }
                else
                {
                    text += " limit " + first;
                }
            }

            return text;
        }

        /// <summary>The expression of the select item whose alias is the ORDER BY key at the current position, consumed; null otherwise.</summary>
        private string? SelectAlias(List<(string Expression, string Alias, bool Explicit)> items)
        {
            if (!Current.IsIdentifierLike || (Current.Kind == TokenKind.Word && ClauseWords.Contains(Current.Text)))
            {
                return null;
            }

            var next = position + 1 < end ? tokens[position + 1] : tokens[tokens.Count - 1];
            var alone = next.Kind == TokenKind.EndOfFile || position + 1 >= end || next.IsPunctuation(',') || next.IsWord("asc") || next.IsWord("desc") || next.IsWord("limit") || next.IsPunctuation(')');
            if (!alone)
            {
                return null;
            }

            var name = Current.Value;
            foreach (var item in items)
            {
                if (string.Equals(item.Alias, name, StringComparison.OrdinalIgnoreCase))
                {
                    position++;
                    return item.Expression;
                }
            }

            return null;
        }

        private List<(string Expression, string Alias, bool Explicit)> ReadSelectItems()
        {
            var items = new List<(string, string, bool)>();
            do
            {
                var start = position;
                var node = ParseNode();
                if (node is MySqlExpressionNode.Star star)
                {
                    foreach (var entry in scope.Where(s => star.Qualifier is null || string.Equals(s.Qualifier, star.Qualifier, StringComparison.Ordinal)))
                    {
                        foreach (var column in entry.Columns ?? throw new InvalidOperationException("cannot expand * over an unknown source"))
                        {
                            items.Add((MySqlNames.Quote(entry.Qualifier) + "." + MySqlNames.Quote(column), column, false));
                        }
                    }

                    continue;
                }

                var stop = position;
                string alias;
                var explicitAlias = false;
                if (AcceptWord("as") || (Current.IsIdentifierLike && !ClauseWords.Contains(Current.Text)) || Current.Kind == TokenKind.String)
                {
                    alias = tokens[position++].Value;
                    explicitAlias = true;
                }
                else if (node is MySqlExpressionNode.Identifier identifier)
                {
                    alias = identifier.Parts[identifier.Parts.Count - 1];
                }
                else
                {
                    // The server names an unaliased expression after its text as written.
                    alias = source.Substring(tokens[start].Start, tokens[stop - 1].End - tokens[start].Start);
                }

                items.Add((node.ToString(), alias, explicitAlias));
            }
            while (AcceptPunctuation(','));
            return items;
        }

        private string FormatTableReferences()
        {
            var text = TableFactor(out var left);
            while (true)
            {
                string kind;
                if (AcceptPunctuation(','))
                {
                    kind = "join";
                }
                else if (AcceptWord("join") || AcceptWords("inner", "join") || AcceptWords("cross", "join"))
                {
                    kind = "join";
                }
                else if (AcceptWords("left", "join") || AcceptWords("left", "outer", "join"))
                {
                    kind = "left join";
                }
                else if (AcceptWords("right", "join") || AcceptWords("right", "outer", "join"))
                {
                    kind = "right join";
                }
                else if (AcceptWord("straight_join"))
                {
                    kind = "straight_join";
                }
                else
                {
                    return text;
                }

                var right = TableFactor(out var rightSources);
                string condition = string.Empty;
                if (AcceptWord("on"))
                {
                    condition = " on(" + Expression() + ")";
                }
                else if (AcceptWord("using"))
                {
                    condition = " on(" + UsingCondition(left, rightSources) + ")";
                }

                left.AddRange(rightSources);
                text = "(" + text + " " + kind + " " + right + condition + ")";
            }
        }

        private string UsingCondition(List<Source> left, List<Source> right)
        {
            ExpectPunctuation('(');
            var parts = new List<string>();
            do
            {
                var column = tokens[position++].Value;
                var l = left.FirstOrDefault(s => s.Columns?.Any(c => string.Equals(c, column, StringComparison.OrdinalIgnoreCase)) == true) ?? left[0];
                var r = right[0];
                parts.Add(MySqlNames.Quote(l.Qualifier) + "." + MySqlNames.Quote(column) + " = " + MySqlNames.Quote(r.Qualifier) + "." + MySqlNames.Quote(column));
            }
            while (AcceptPunctuation(','));
            ExpectPunctuation(')');
            return string.Join(" and ", parts);
        }

        private string TableFactor(out List<Source> sources)
        {
            sources = new List<Source>();
            if (Current.IsPunctuation('(') && (tokens[position + 1].IsWord("select") || tokens[position + 1].IsWord("with")))
            {
                var close = Matching(position);
                var inner = new Query(owner, tokens, source, this);
                var text = "(" + inner.Format(position + 1, close, null, out var columns) + ")";
                position = close + 1;
                AcceptWord("as");
                var alias = tokens[position++].Value;
                sources.Add(new Source(alias, columns));
                scope.Add(sources[0]);
                return text + " " + MySqlNames.Quote(alias);
            }

            if (Current.IsPunctuation('('))
            {
                owner.Enter(Current);
                try
                {
                    position++;
                    var text = FormatTableReferences();
                    ExpectPunctuation(')');
                    sources.AddRange(scope);
                    return text;
                }
                finally
                {
                    owner.nesting--;
                }
            }

            var name = tokens[position++].Value;
            if (AcceptPunctuation('.'))
            {
                name = tokens[position++].Value;
            }

            string? tableAlias = null;
            if (AcceptWord("as") || (Current.IsIdentifierLike && !ClauseWords.Contains(Current.Text)))
            {
                tableAlias = tokens[position++].Value;
            }

            var entry = new Source(tableAlias ?? name, owner.ColumnsOf(name));
            sources.Add(entry);
            scope.Add(entry);
            return MySqlNames.Quote(name) + (tableAlias is null ? string.Empty : " " + MySqlNames.Quote(tableAlias));
        }

        private int Matching(int open)
        {
            var close = MySqlExpressions.MatchingParen(tokens, open, end);
            return close >= 0 ? close : throw new SyntaxErrorException(tokens[open], "expected ')'");
        }

        private void SkipToClause(string word)
        {
            var depth = 0;
            while (position < end)
            {
                var token = tokens[position];
                if (token.IsPunctuation('('))
                {
                    depth++;
                }
                else if (token.IsPunctuation(')'))
                {
                    depth--;
                }
                else if (depth == 0 && (token.IsWord(word) || token.IsWord("union")))
                {
                    return;
                }

                position++;
            }
        }

        private MySqlExpressionNode ParseNode()
        {
            var parser = new MySqlExpressionParser(tokens, position, end, Subquery);
            var node = parser.ParseExpression();
            position = parser.Position;
            Qualify(node);
            return node;
        }

        private string Subquery(int start, int stop)
        {
            var inner = new Query(owner, tokens, source, this) { ImplicitAliases = false };
            return inner.Format(start, stop, null, out _);
        }

        private string Expression() => ParseNode().ToString();

        private List<string> ExpressionList()
        {
            var list = new List<string> { Expression() };
            while (AcceptPunctuation(','))
            {
                list.Add(Expression());
            }

            return list;
        }

        private void Qualify(MySqlExpressionNode node)
        {
            foreach (var identifier in node.DescendantsAndSelf().OfType<MySqlExpressionNode.Identifier>())
            {
                var parts = identifier.Parts;
                if (parts.Count == 1)
                {
                    var found = Resolve(parts[0]);
                    if (found is not null)
                    {
                        identifier.Parts = new List<string> { found.Value.Qualifier, found.Value.Column };
                    }
                }
                else if (parts.Count == 3)
                {
                    identifier.Parts = parts.Skip(1).ToList();
                }
            }
        }

        private (string Qualifier, string Column)? Resolve(string column)
        {
            for (var query = this; query is not null; query = query.outer)
            {
                foreach (var entry in query.scope)
                {
                    var match = entry.Columns?.FirstOrDefault(c => string.Equals(c, column, StringComparison.OrdinalIgnoreCase));
                    if (match is not null)
                    {
                        return (entry.Qualifier, match);
                    }
                }
            }

            return null;
        }

        private string ExpectNumber()
        {
            if (Current.Kind != TokenKind.Number || position >= end)
            {
                throw new SyntaxErrorException(Current, "expected a number, found " + Current.Describe());
            }

            return tokens[position++].Text;
        }

        private bool AcceptWord(string word)
        {
            if (position >= end || !Current.IsWord(word))
            {
                return false;
            }

            position++;
            return true;
        }

        private bool AcceptWords(string first, string second)
        {
            if (position + 1 >= end || !Current.IsWord(first) || !tokens[position + 1].IsWord(second))
            {
                return false;
            }

            position += 2;
            return true;
        }

        private bool AcceptWords(string first, string second, string third)
        {
            if (position + 2 >= end || !Current.IsWord(first) || !tokens[position + 1].IsWord(second) || !tokens[position + 2].IsWord(third))
            {
                return false;
            }

            position += 3;
            return true;
        }

        private void ExpectWord(string word)
        {
            if (!AcceptWord(word))
            {
                throw new SyntaxErrorException(Current, "expected " + word.ToUpperInvariant() + ", found " + Current.Describe());
            }
        }

        private bool AcceptPunctuation(char c)
        {
            if (position >= end || !Current.IsPunctuation(c))
            {
                return false;
            }

            position++;
            return true;
        }

        private void ExpectPunctuation(char c)
        {
            if (!AcceptPunctuation(c))
            {
                throw new SyntaxErrorException(Current, "expected '" + c + "', found " + Current.Describe());
            }
        }
    }
}
