using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Dialects.Postgres.Expressions;

/// <summary>
/// Brings an expression or a view query to the one canonical text that both the authored SQL and
/// the server's deparsed SQL (pg_dump) converge to.
/// <list type="bullet">
/// <item>Parentheses: only around operands that are operator expressions; AND/OR chains are flattened.</item>
/// <item>Casts: dropped on constants (<c>(0)::numeric</c> is <c>0</c>, <c>'x'::character varying</c> is <c>'x'</c>),
/// on arrays of constants, and casts of a column to text, varchar, numeric, bigint or double precision (the server
/// prints its implicit coercions as casts);
/// other casts stay, with the canonical type name.</item>
/// <item>Sugar: LIKE is <c>~~</c>, IN (list) is <c>= any (array[...])</c>, BETWEEN is two comparisons, <c>!=</c> is <c>&lt;&gt;</c>.</item>
/// <item>Names: lower-case keywords and functions, <c>pg_catalog.</c>/<c>public.</c> dropped from functions,
/// identifiers quoted only when needed; <c>nextval('s')</c> is <c>nextval('public.s'::regclass)</c>.</item>
/// <item>Views: tables qualified with their schema, every column qualified with its range variable
/// (resolved against the model's tables), <c>*</c> expanded, aliases the server would infer dropped,
/// the view's column list applied as aliases.</item>
/// </list>
/// The canonical text is for comparing only: the model keeps each expression as written (<see cref="Model.WrittenSql"/>)
/// and that is what gets deployed, since dropping a cast can change what the server makes of it.
/// Limits: casts dropped as above make e.g. <c>id::text = '1'</c> and <c>id = '1'</c> equal; set-returning
/// special forms (SUBSTRING ... FROM, TRIM, POSITION) and JOIN ... USING column merging are not modelled.
/// Text that does not parse is kept with whitespace folded.
/// </summary>
internal static class PostgresExpressionCanonicalizer
{
    /// <summary>Types the server coerces columns to implicitly and then prints as a cast (varchar to text, integer to numeric).</summary>
    private static readonly HashSet<string> ImplicitCoercionTargets = new() { "text", "character varying", "numeric", "bigint", "double precision" };

    private static readonly HashSet<string> NumericTypes = new() { "integer", "bigint", "smallint", "numeric", "real", "double precision" };

    public static SqlNode? TryParseExpression(string text)
    {
        var cursor = Cursor(text);
        if (cursor is null)
        {
            return null;
        }

        try
        {
            var node = new PostgresExpressionParser(cursor).Expression();
            return cursor.AtEnd ? node : null;
        }
        catch (SyntaxErrorException)
        {
            return null;
        }
    }

    private static TokenCursor? Cursor(string text)
    {
        var lex = PostgresLexer.Lex(new SourceFile(string.Empty, text));
        return lex.Diagnostics.Count > 0 ? null : new TokenCursor(lex);
    }

    /// <summary>The canonical text of a table-level expression (check, default, generated, index key, predicate).</summary>
    public static string Expression(string text)
    {
        var node = TryParseExpression(text);
        return node is null ? TokenCursor.FoldWhitespace(text) : PostgresExpressionPrinter.Print(Canon(node, null));
    }

    /// <summary>A default: a constant becomes a literal (its unquoted value), anything else canonical expression text; NULL is no default.</summary>
    public static ColumnDefault? Default(string text)
    {
        var node = TryParseExpression(text);
        if (node is null)
        {
            return ColumnDefault.Expression(TokenCursor.FoldWhitespace(text));
        }

        var canonical = Canon(node, null);
        return canonical switch
        {
            LiteralNode { Kind: LiteralKind.Null } => null,
            LiteralNode literal when literal.Kind != LiteralKind.BitString => ColumnDefault.Literal(literal.Value),
            _ => ColumnDefault.Expression(PostgresExpressionPrinter.Print(canonical)),
        };
    }

    /// <summary>The distinct columns an expression mentions, in order of appearance (the server names checks after a single one).</summary>
    public static IReadOnlyList<string> Columns(string text)
    {
        var node = TryParseExpression(text);
        var columns = new List<string>();
        if (node is not null)
        {
            CollectColumns(node, columns);
        }

        return columns;
    }

    private static void CollectColumns(SqlNode node, List<string> columns)
    {
        if (node is ColumnRefNode column)
        {
            if (!columns.Contains(column.Column))
            {
                columns.Add(column.Column);
            }

            return;
        }

        foreach (var child in Children(node))
        {
            CollectColumns(child, columns);
        }
    }

    private static IEnumerable<SqlNode> Children(SqlNode node) => node switch
    {
        FunctionNode f => f.Arguments.Concat(f.OrderBy.Select(o => o.Expression)).Concat(f.Filter is null ? Enumerable.Empty<SqlNode>() : new[] { f.Filter }),
        UnaryNode u => new[] { u.Operand },
        BinaryNode b => new[] { b.Left, b.Right },
        BoolNode b => b.Items,
        IsNode i => i.Other is null ? new[] { i.Operand } : new[] { i.Operand, i.Other },
        CastNode c => new[] { c.Operand },
        CollateNode c => new[] { c.Operand },
        QuantifiedNode q => new[] { q.Left, q.Right },
        ArrayNode a => a.Items,
        RowNode r => r.Items,
        CaseNode c => (c.Operand is null ? Enumerable.Empty<SqlNode>() : new[] { c.Operand })
            .Concat(c.Branches.SelectMany(b => new[] { b.When, b.Then }))
            .Concat(c.Else is null ? Enumerable.Empty<SqlNode>() : new[] { c.Else }),
        SubscriptNode s => new[] { s.Operand }.Concat(new[] { s.Lower, s.Upper }.Where(x => x is not null).Select(x => x!)),
        FieldNode f => new[] { f.Operand },
        ExtractNode e => new[] { e.Source },
        _ => Enumerable.Empty<SqlNode>(),
    };

    /// <summary>
    /// The canonical text of a view query. <paramref name="columnsOf"/> gives a table's columns (null when
    /// unknown); <paramref name="columnNames"/> is the view's explicit column list.
    /// </summary>
    public static string Query(string text, Func<QualifiedName, IReadOnlyList<string>?> columnsOf, IReadOnlyList<string> columnNames)
    {
        var cursor = Cursor(text);
        if (cursor is null)
        {
            return TokenCursor.FoldWhitespace(text);
        }

        try
        {
            var query = new PostgresExpressionParser(cursor).Query();
            if (!cursor.AtEnd)
            {
                return TokenCursor.FoldWhitespace(text);
            }

            var canonical = new QueryCanon(columnsOf).Query(query, null, columnNames);
            return PostgresExpressionPrinter.Print(canonical);
        }
        catch (SyntaxErrorException)
        {
            return TokenCursor.FoldWhitespace(text);
        }
    }

    /// <summary>Canonical form of one expression node; <paramref name="scope"/> is null outside queries (columns lose qualifiers).</summary>
    private static SqlNode Canon(SqlNode node, QueryCanon.Scope? scope, QueryCanon? queries = null)
    {
        SqlNode Recurse(SqlNode child) => Canon(child, scope, queries);
        switch (node)
        {
            case LiteralNode { Kind: LiteralKind.Number } number when number.Value.IndexOfAny(new[] { 'e', 'E' }) >= 0
                && decimal.TryParse(number.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value):
                // The server keeps numeric constants as numeric values, which print without an exponent.
                return number with { Value = value.ToString(CultureInfo.InvariantCulture) };
            case ColumnRefNode column:
                return scope is null ? (column.Column == "*" ? column : new ColumnRefNode(new[] { column.Column })) : scope.Resolve(column);
            case CastNode cast:
                return CanonCast(new CastNode(Recurse(cast.Operand), PostgresTypes.Canonical(cast.Type, _ => "public")));
            case UnaryNode { Operator: "-" or "+" } unary when Recurse(unary.Operand) is LiteralNode { Kind: LiteralKind.Number } number:
                return unary.Operator == "+" ? number : Negate(number);
            case UnaryNode unary:
                return unary with { Operand = Recurse(unary.Operand) };
            case BinaryNode binary:
                return binary with { Left = Recurse(binary.Left), Right = Recurse(binary.Right) };
            case BoolNode boolean:
                return Flatten(boolean.Operator, boolean.Items.Select(Recurse));
            case IsNode test:
                return test with { Operand = Recurse(test.Operand), Other = test.Other is null ? null : Recurse(test.Other) };
            case CollateNode collate:
                return collate with { Operand = Recurse(collate.Operand) };
            case QuantifiedNode quantified:
                return quantified with { Left = Recurse(quantified.Left), Right = Recurse(quantified.Right) };
            case ArrayNode array:
                return new ArrayNode(array.Items.Select(Recurse).ToList());
            case RowNode row:
                return new RowNode(row.Items.Select(Recurse).ToList());
            case CaseNode @case:
                return new CaseNode(
                    @case.Operand is null ? null : Recurse(@case.Operand),
                    @case.Branches.Select(b => (Recurse(b.When), Recurse(b.Then))).ToList(),
                    @case.Else is null ? null : Recurse(@case.Else));
            case SubscriptNode subscript:
                return subscript with
                {
                    Operand = Recurse(subscript.Operand),
                    Lower = subscript.Lower is null ? null : Recurse(subscript.Lower),
                    Upper = subscript.Upper is null ? null : Recurse(subscript.Upper),
                };
            case FieldNode field:
                return field with { Operand = Recurse(field.Operand) };
            case ExtractNode extract:
                return extract with { Source = Recurse(extract.Source) };
            case FunctionNode function:
                return CanonFunction(function, Recurse);
            case SubqueryNode subquery:
                var inner = (queries ?? new QueryCanon(_ => null)).Query(subquery.Query, scope, new string[0]);
                return subquery with { Left = subquery.Left is null ? null : Recurse(subquery.Left), Query = inner };
            default:
                return node;
        }
    }

    private static SqlNode CanonFunction(FunctionNode function, Func<SqlNode, SqlNode> recurse)
    {
        var name = function.Name.Schema is "pg_catalog" or "public" ? new QualifiedName(null, function.Name.Name) : function.Name;
        var arguments = function.Arguments.Select(recurse).ToList();
        if (name.Schema is null && name.Name == "nextval" && arguments.Count == 1 && arguments[0] is LiteralNode { Kind: LiteralKind.String } sequence)
        {
            // The server stores the sequence as a regclass and prints it schema-qualified.
            var qualified = sequence.Value.IndexOf('.') >= 0 ? sequence.Value : "public." + sequence.Value;
            arguments[0] = new CastNode(new LiteralNode(LiteralKind.String, qualified), new DataType("regclass"));
        }

        return function with
        {
            Name = name,
            Arguments = arguments,
            OrderBy = function.OrderBy.Select(o => o with { Expression = recurse(o.Expression) }).ToList(),
            Filter = function.Filter is null ? null : recurse(function.Filter),
            Over = function.Over is null ? null : CanonWindow(function.Over, recurse),
        };
    }

    private static WindowSpec CanonWindow(WindowSpec window, Func<SqlNode, SqlNode> recurse) => window with
    {
        PartitionBy = window.PartitionBy.Select(recurse).ToList(),
        OrderBy = window.OrderBy.Select(o => o with { Expression = recurse(o.Expression) }).ToList(),
    };

    private static SqlNode CanonCast(CastNode cast)
    {
        switch (cast.Operand)
        {
            case LiteralNode { Kind: LiteralKind.String } literal when NumericTypes.Contains(cast.Type.Name) && cast.Type.ArrayDimensions == 0
                && decimal.TryParse(literal.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _):
                return new LiteralNode(LiteralKind.Number, literal.Value.Trim());
            case LiteralNode { Kind: LiteralKind.String } literal when cast.Type.Name == "interval" && cast.Type.ArrayDimensions == 0:
                return literal with { Value = PostgresIntervals.Canonical(literal.Value) };
            case LiteralNode { Kind: LiteralKind.String } literal when cast.Type.Name == "timestamp without time zone" && cast.Type.ArrayDimensions == 0:
                return literal with { Value = CanonicalTimestamp(literal.Value) };
            case LiteralNode { Kind: not LiteralKind.BitString } literal:
                return literal;
            case ArrayNode array when array.Items.All(i => i is LiteralNode or ArrayNode):
                return array;
            case ColumnRefNode column when cast.Type.TypeSchema is null && ImplicitCoercionTargets.Contains(cast.Type.Name):
                return column;
            default:
                return cast;
        }
    }

    private static readonly System.Text.RegularExpressions.Regex TimestampText = new(
        @"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>A timestamp constant as the server prints it: seconds always, fractions without trailing zeros.</summary>
    private static string CanonicalTimestamp(string value)
    {
        var match = TimestampText.Match(value.Trim());
        if (!match.Success)
        {
            return value;
        }

        var fraction = match.Groups[5].Value.TrimEnd('0');
        return match.Groups[1].Value + " " + match.Groups[2].Value.PadLeft(2, '0') + ":" + match.Groups[3].Value + ":"
            + (match.Groups[4].Success ? match.Groups[4].Value : "00") + (fraction == "." ? string.Empty : fraction);
    }

    private static LiteralNode Negate(LiteralNode number) =>
        new(LiteralKind.Number, number.Value.StartsWith("-", StringComparison.Ordinal) ? number.Value.Substring(1) : "-" + number.Value);

    private static SqlNode Flatten(string op, IEnumerable<SqlNode> items)
    {
        var flat = new List<SqlNode>();
        foreach (var item in items)
        {
            if (item is BoolNode inner && inner.Operator == op)
            {
                flat.AddRange(inner.Items);
            }
            else
            {
                flat.Add(item);
            }
        }

        return new BoolNode(op, flat);
    }

    /// <summary>Query canonicalization: scopes of range variables and the rules for targets and FROM.</summary>
    private sealed class QueryCanon
    {
        private readonly Func<QualifiedName, IReadOnlyList<string>?> columnsOf;

        /// <summary>WITH queries in scope, by name, with their output columns (null when unknown).</summary>
        private readonly Dictionary<string, IReadOnlyList<string>?> commonTables = new(StringComparer.Ordinal);

        public QueryCanon(Func<QualifiedName, IReadOnlyList<string>?> columnsOf) => this.columnsOf = columnsOf;

        /// <summary>A range variable: <see cref="Name"/> as the server prints it, <see cref="Original"/> as the query wrote it.</summary>
        public sealed record RangeVar(string Name, IReadOnlyList<string>? Columns, string Original);

        /// <summary>
        /// One query level. Range variable names are unique across a level and the levels around it: the server's
        /// deparser renames a subquery's <c>fc</c> to <c>fc_1</c> when an enclosing level has an <c>fc</c>, and so does this.
        /// </summary>
        public sealed class Scope
        {
            private readonly HashSet<string> used;
            private readonly Dictionary<string, int> counters = new(StringComparer.Ordinal);
            private readonly List<(FromItem Item, string Name)> assigned = new();

            /// <param name="parent">The scope columns resolve through next.</param>
            /// <param name="namesFrom">The level whose names this level must not reuse, when it is not <paramref name="parent"/>.</param>
            public Scope(Scope? parent, Scope? namesFrom = null)
            {
                Parent = parent;
                used = new HashSet<string>((namesFrom ?? parent)?.used ?? Enumerable.Empty<string>(), StringComparer.Ordinal);
            }

            public Scope? Parent { get; }

            public List<RangeVar> Vars { get; } = new();

            /// <summary>Takes a range variable name for <paramref name="item"/>, with <c>_N</c> appended when it is taken.</summary>
            public void Claim(FromItem item, string name)
            {
                var chosen = name;
                while (!used.Add(chosen))
                {
                    counters[name] = counters.TryGetValue(name, out var n) ? n + 1 : 1;
                    chosen = name + "_" + counters[name].ToString(CultureInfo.InvariantCulture);
                }

                assigned.Add((item, chosen));
            }

            public string NameOf(FromItem item, string fallback)
            {
                foreach (var entry in assigned)
                {
                    if (ReferenceEquals(entry.Item, item))
                    {
                        return entry.Name;
                    }
                }

                return fallback;
            }

            /// <summary>Qualifies a column with the range variable that provides it, searching outward.</summary>
            public ColumnRefNode Resolve(ColumnRefNode column)
            {
                if (column.Parts.Count >= 2)
                {
                    var qualifier = column.Parts[column.Parts.Count - 2];
                    for (var scope = this; scope is not null; scope = scope.Parent)
                    {
                        if (scope.Vars.FirstOrDefault(v => v.Original == qualifier) is { } match)
                        {
                            return new ColumnRefNode(new[] { match.Name, column.Column });
                        }
                    }

                    return column.Parts.Count == 2 ? column : new ColumnRefNode(column.Parts.Skip(column.Parts.Count - 2).ToList());
                }

                if (column.Column == "*")
                {
                    return column;
                }

                for (var scope = this; scope is not null; scope = scope.Parent)
                {
                    var matches = scope.Vars.Where(v => v.Columns is not null && v.Columns.Contains(column.Column)).ToList();
                    if (matches.Count == 1)
                    {
                        return new ColumnRefNode(new[] { matches[0].Name, column.Column });
                    }

                    if (matches.Count == 0 && scope == this && scope.Vars.Count == 1 && scope.Vars[0].Columns is null)
                    {
                        return new ColumnRefNode(new[] { scope.Vars[0].Name, column.Column });
                    }
                }

                return column;
            }
        }

        public QueryNode Query(QueryNode query, Scope? parent, IReadOnlyList<string> columnNames)
        {
            switch (query)
            {
                case SelectNode select:
                    return Select(select, parent, columnNames, out _);
                case SetOperationNode set:
                    // The server names every arm's columns after the first arm's.
                    var first = Query(set.First, parent, columnNames);
                    var names = OutputNames(first) ?? new string[0];
                    return new SetOperationNode(first, set.Arms.Select(arm => arm with { Query = Query(arm.Query, parent, names) }).ToList());
                case SortedQueryNode sorted:
                    Scope? selectScope = null;
                    var inner = sorted.Query is SelectNode select2 ? Select(select2, parent, columnNames, out selectScope) : Query(sorted.Query, parent, columnNames);
                    var orderScope = selectScope ?? new Scope(parent);
                    SqlNode Recurse(SqlNode n) => Canon(n, orderScope, this);
                    return sorted with
                    {
                        Query = inner,
                        OrderBy = sorted.OrderBy.Select(o => o with { Expression = Recurse(o.Expression) }).ToList(),
                        Limit = sorted.Limit is null ? null : Recurse(sorted.Limit),
                        Offset = sorted.Offset is null ? null : Recurse(sorted.Offset),
                    };
                case ValuesNode values:
                    return new ValuesNode(values.Rows.Select(r => (IReadOnlyList<SqlNode>)r.Select(n => Canon(n, new Scope(parent), this)).ToList()).ToList());
                case WithQueryNode with:
                    return With(with, parent, columnNames);
                default:
                    return query;
            }
        }

        /// <summary>WITH queries are visible to the body (and, RECURSIVE, to each other); outside they are gone again.</summary>
        private QueryNode With(WithQueryNode with, Scope? parent, IReadOnlyList<string> columnNames)
        {
            var hidden = with.Tables.Where(t => commonTables.ContainsKey(t.Name)).ToDictionary(t => t.Name, t => commonTables[t.Name]);
            var tables = new List<CommonTable>();
            foreach (var table in with.Tables)
            {
                if (with.Recursive)
                {
                    commonTables[table.Name] = table.Columns.Count > 0 ? table.Columns : null;
                }

                var query = Query(table.Query, parent, new string[0]);
                commonTables[table.Name] = table.Columns.Count > 0 ? table.Columns : OutputNames(query);
                tables.Add(table with { Query = query });
            }

            var body = Query(with.Body, parent, columnNames);
            foreach (var table in with.Tables)
            {
                commonTables.Remove(table.Name);
            }

            foreach (var entry in hidden)
            {
                commonTables[entry.Key] = entry.Value;
            }

            return with with { Tables = tables, Body = body };
        }

        private SelectNode Select(SelectNode select, Scope? parent, IReadOnlyList<string> columnNames, out Scope scope)
        {
            var local = new Scope(parent);
            scope = local;
            foreach (var item in select.From)
            {
                ClaimNames(item, local);
            }

            var from = select.From.Select(f => From(f, local, parent)).ToList();
            SqlNode Recurse(SqlNode n) => Canon(n, local, this);

            var targets = new List<SelectTarget>();
            foreach (var target in select.Targets)
            {
                if (target.Expression is ColumnRefNode star && star.Column == "*" && Expand(star, local) is { } expanded)
                {
                    targets.AddRange(expanded);
                    continue;
                }

                targets.Add(new SelectTarget(Recurse(target.Expression), target.Alias));
            }

            for (var i = 0; i < targets.Count; i++)
            {
                var alias = i < columnNames.Count ? columnNames[i] : targets[i].Alias;
                targets[i] = targets[i] with { Alias = alias == ImplicitName(targets[i].Expression) ? null : alias };
            }

            return select with
            {
                Targets = targets,
                From = from,
                DistinctOn = select.DistinctOn.Select(Recurse).ToList(),
                Where = select.Where is null ? null : Recurse(select.Where),
                GroupBy = select.GroupBy.Select(Recurse).ToList(),
                Having = select.Having is null ? null : Recurse(select.Having),
                Windows = select.Windows.Select(w => (w.Name, CanonWindow(w.Spec, Recurse))).ToList(),
            };
        }

        private static List<SelectTarget>? Expand(ColumnRefNode star, Scope scope)
        {
            var vars = star.Parts.Count == 1 ? scope.Vars : scope.Vars.Where(v => v.Original == star.Parts[star.Parts.Count - 2]).ToList();
            if (vars.Count == 0 || vars.Any(v => v.Columns is null))
            {
                return null;
            }

            return vars.SelectMany(v => v.Columns!.Select(c => new SelectTarget(new ColumnRefNode(new[] { v.Name, c }), null))).ToList();
        }

        /// <summary>The name a FROM item is known by, as written: its alias, else the table's or function's name.</summary>
        private static string? WrittenName(FromItem item) => item switch
        {
            TableRef table => table.Alias ?? table.Name.Name,
            SubqueryRef subquery => subquery.Alias,
            FunctionRef function => function.Alias ?? function.Function.Name.Name,
            _ => null,
        };

        /// <summary>Names of one level's FROM items, in the order the server enters them (left to right, depth first).</summary>
        private static void ClaimNames(FromItem item, Scope scope)
        {
            if (item is JoinItem join)
            {
                ClaimNames(join.Left, scope);
                ClaimNames(join.Right, scope);
            }
            else if (WrittenName(item) is { } name)
            {
                scope.Claim(item, name);
            }
        }

        private FromItem From(FromItem item, Scope scope, Scope? parent)
        {
            var written = WrittenName(item) ?? string.Empty;
            var printed = scope.NameOf(item, written);
            switch (item)
            {
                case TableRef table when table.Name.Schema is null && commonTables.TryGetValue(table.Name.Name, out var commonColumns):
                    scope.Vars.Add(new RangeVar(printed, commonColumns, written));
                    return new TableRef(table.Name, printed == table.Name.Name ? null : printed);
                case TableRef table:
                    var name = table.Name.Schema is null ? new QualifiedName("public", table.Name.Name) : table.Name;
                    scope.Vars.Add(new RangeVar(printed, columnsOf(name), written));
                    return new TableRef(name, printed == name.Name ? null : printed);
                case SubqueryRef subquery:
                    // A subquery that is not LATERAL sees no columns of its level, but its names must still differ from them.
                    var query = Query(subquery.Query, subquery.Lateral ? scope : new Scope(parent, scope), new string[0]);
                    scope.Vars.Add(new RangeVar(printed, subquery.Columns.Count > 0 ? subquery.Columns : OutputNames(query), written));
                    return subquery with { Query = query, Alias = printed };
                case FunctionRef function:
                    var canonFunction = (FunctionNode)Canon(function.Function, scope, this);

                    // The server writes a scalar function's column out (generate_series(1, 3) g(g)); the two spellings are one.
                    var columns = function.Columns.Count == 1 && function.Columns[0] == printed && !function.WithOrdinality
                        ? new string[0]
                        : function.Columns;
                    scope.Vars.Add(new RangeVar(printed, function.Columns.Count > 0 ? function.Columns : null, written));
                    return function with { Function = canonFunction, Columns = columns, Alias = printed == function.Function.Name.Name ? null : printed };
                case JoinItem join:
                    var left = From(join.Left, scope, parent);
                    var right = From(join.Right, scope, parent);
                    return join with { Left = left, Right = right, On = join.On is null ? null : Canon(join.On, scope, this) };
                default:
                    return item;
            }
        }

        private static IReadOnlyList<string>? OutputNames(QueryNode query) => query switch
        {
            SelectNode select => select.Targets.Select(t => t.Alias ?? ImplicitName(t.Expression)).ToList(),
            SetOperationNode set => OutputNames(set.First),
            SortedQueryNode sorted => OutputNames(sorted.Query),
            _ => null,
        };

        /// <summary>The column name the server gives an unaliased target (FigureColname).</summary>
        private static string ImplicitName(SqlNode node) => node switch
        {
            ColumnRefNode column => column.Column,
            FunctionNode function => function.Name.Name,
            CastNode cast => ImplicitName(cast.Operand) is var inner && inner != "?column?" ? inner : cast.Type.Name,
            CaseNode => "case",
            KeywordNode keyword => keyword.Keyword,
            ArrayNode => "array",
            RowNode => "row",
            ExtractNode => "extract",
            SubqueryNode { Kind: "exists" } => "exists",
            SubqueryNode { Kind: "array" } => "array",
            SubqueryNode { Kind: "scalar" } subquery => OutputNames(subquery.Query) is { Count: > 0 } names ? names[0] : "?column?",
            CollateNode collate => ImplicitName(collate.Operand),
            _ => "?column?",
        };
    }
}
