using System;
using System.Collections.Generic;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Dialects.Postgres.Expressions;

/// <summary>
/// A Pratt parser for PostgreSQL expressions and the SELECT queries of views, with the server's
/// operator precedence. It stops at the first token that cannot continue an expression, so the
/// statement parser can use it to find where a DEFAULT or CHECK expression ends.
/// Sugar is desugared the way the server stores it: LIKE is <c>~~</c>, IN (list) is <c>= ANY (ARRAY[...])</c>,
/// BETWEEN is a pair of comparisons.
/// </summary>
internal sealed class PostgresExpressionParser
{
    private const int OrPower = 10;
    private const int AndPower = 20;
    private const int NotPower = 30;
    private const int IsPower = 40;
    private const int ComparisonPower = 50;
    private const int LikePower = 60;
    private const int OperatorPower = 70;
    private const int AdditivePower = 80;
    private const int MultiplicativePower = 90;
    private const int ExponentPower = 100;
    private const int AtTimeZonePower = 110;
    private const int CollatePower = 120;
    private const int UnaryPower = 130;
    private const int SubscriptPower = 140;
    private const int CastPower = 150;

    private static readonly HashSet<string> KeywordFunctions = new()
    {
        "current_timestamp", "current_date", "current_time", "localtime", "localtimestamp", "current_user",
        "session_user", "user", "current_role", "current_catalog", "current_schema",
    };

    private static readonly HashSet<string> TypedLiteralStarts = new()
    {
        "date", "time", "timestamp", "timestamptz", "interval", "double", "character", "char", "varchar", "text",
        "integer", "int", "int4", "int8", "bigint", "smallint", "numeric", "decimal", "boolean", "bool", "json", "jsonb",
        "uuid", "real", "float", "bit", "bytea", "inet", "cidr", "money",
    };

    /// <summary>Words that never start or continue an expression: they end it.</summary>
    private static readonly HashSet<string> Stoppers = new()
    {
        "from", "where", "group", "having", "order", "limit", "offset", "union", "intersect", "except", "as", "on",
        "join", "inner", "left", "right", "full", "cross", "natural", "using", "then", "when", "else", "end", "and",
        "or", "with", "window", "asc", "desc", "nulls", "for", "constraint", "primary", "unique", "references",
        "check", "default", "generated", "collate", "not", "null", "is", "in", "like", "ilike", "between", "similar",
        "lateral", "fetch", "returning", "into", "deferrable", "initially", "no", "include",
    };

    private const int MaxDepth = 200;

    /// <summary>Bounds the depth of the tree built (nesting plus chained operators), which later stages walk recursively.</summary>
    private const int MaxTreeDepth = 500;

    private readonly TokenCursor cursor;
    private int depth;
    private int treeDepth;

    public PostgresExpressionParser(TokenCursor cursor) => this.cursor = cursor;

    public SqlNode Expression() => Parse(0);

    /// <summary>An expression that stops before AND/OR etc. bind: the operands of BETWEEN.</summary>
    private SqlNode Parse(int minPower)
    {
        // The level is entered without Nested's delegate: every expression of a schema passes here, and the closure and
        // delegate made per call were a good part of what parsing defaults and checks allocated.
        Enter();
        try
        {
            return ParseAtThisLevel(minPower);
        }
        finally
        {
            Leave();
        }
    }

    private SqlNode ParseAtThisLevel(int minPower)
    {
        var left = Prefix();
        var chained = 0;
        try
        {
            while (true)
            {
                var next = Infix(left, minPower);
                if (next is null)
                {
                    return left;
                }

                // Each operator of a chain (a + b + c, x::t::u) nests the tree one level deeper for the printer and the
                // canonicalizer; AND / OR chains are flat lists and do not count.
                if (next is not BoolNode && ++treeDepth > MaxTreeDepth)
                {
                    throw cursor.Error("an expression with fewer than " + MaxTreeDepth + " chained operators");
                }

                chained += next is BoolNode ? 0 : 1;
                left = next;
            }
        }
        finally
        {
            treeDepth -= chained;
        }
    }

    /// <summary>
    /// Runs one level of recursion (an expression, a query, a parenthesized FROM item). A stack overflow cannot be caught
    /// and kills the build or the IDE: absurd nesting is refused as a syntax error instead.
    /// </summary>
    private T Nested<T>(Func<T> parse)
    {
        Enter();
        try
        {
            return parse();
        }
        finally
        {
            Leave();
        }
    }

    private void Enter()
    {
        if (++depth > MaxDepth)
        {
            depth--;
            throw cursor.Error("an expression or query nested less than " + MaxDepth + " levels deep");
        }

        treeDepth++;
    }

    private void Leave()
    {
        depth--;
        treeDepth--;
    }

    private SqlNode Prefix()
    {
        var token = cursor.Current;
        switch (token.Kind)
        {
            case TokenKind.Number:
                cursor.Advance();
                return new LiteralNode(LiteralKind.Number, token.Text);
            case TokenKind.String:
                cursor.Advance();
                return new LiteralNode(LiteralKind.String, token.Value);
            case TokenKind.BinaryLiteral:
                cursor.Advance();
                return new LiteralNode(LiteralKind.BitString, char.ToUpperInvariant(token.Text[0]) + "'" + token.Value + "'");
            case TokenKind.Parameter:
                cursor.Advance();
                return new ParameterNode(token.Text);
            case TokenKind.QuotedIdentifier:
                return NameOrCall();
            case TokenKind.Operator:
                return PrefixOperator(token);
            case TokenKind.Punctuation when token.IsPunctuation('('):
                return Parenthesized();
            case TokenKind.Word:
                return WordPrefix(token);
            default:
                throw cursor.Error("an expression");
        }
    }

    private SqlNode PrefixOperator(Token token)
    {
        if (token.Text == "*")
        {
            cursor.Advance();
            return new ColumnRefNode(new[] { "*" });
        }

        cursor.Advance();
        var operand = Parse(token.Text is "-" or "+" ? UnaryPower : OperatorPower);
        return new UnaryNode(token.Text, operand);
    }

    private SqlNode Parenthesized()
    {
        cursor.Advance();
        if (cursor.IsWord("select") || cursor.IsWord("values") || cursor.IsWord("with"))
        {
            var query = Query();
            cursor.ExpectPunctuation(')');
            return new SubqueryNode("scalar", null, query);
        }

        var inner = Expression();
        if (cursor.IsPunctuation(','))
        {
            var items = new List<SqlNode> { inner };
            while (cursor.AcceptPunctuation(','))
            {
                items.Add(Expression());
            }

            cursor.ExpectPunctuation(')');
            return new RowNode(items);
        }

        cursor.ExpectPunctuation(')');
        if (cursor.IsPunctuation('.') && cursor.Peek().IsIdentifierLike)
        {
            cursor.Advance();
            return new FieldNode(inner, PostgresSyntax.Identifier(cursor.Advance()));
        }

        return inner;
    }

    private SqlNode WordPrefix(Token token)
    {
        var word = token.Text.ToLowerInvariant();
        switch (word)
        {
            case "not":
                cursor.Advance();
                return new UnaryNode("not", Parse(NotPower));
            case "null":
                cursor.Advance();
                return new LiteralNode(LiteralKind.Null, "null");
            case "true" or "false":
                cursor.Advance();
                return new LiteralNode(LiteralKind.Boolean, word);
            case "case":
                return Case();
            case "exists" when cursor.Peek().IsPunctuation('('):
                cursor.Advance();
                cursor.ExpectPunctuation('(');
                var query = Query();
                cursor.ExpectPunctuation(')');
                return new SubqueryNode("exists", null, query);
            case "array" when cursor.Peek().IsPunctuation('['):
                cursor.Advance();
                return ArrayLiteral();
            case "array" when cursor.Peek().IsPunctuation('('):
                cursor.Advance();
                cursor.ExpectPunctuation('(');
                var arrayQuery = Query();
                cursor.ExpectPunctuation(')');
                return new SubqueryNode("array", null, arrayQuery);
            case "row" when cursor.Peek().IsPunctuation('('):
                cursor.Advance();
                return new RowNode(ArgumentList());
            case "cast" when cursor.Peek().IsPunctuation('('):
                cursor.Advance();
                cursor.ExpectPunctuation('(');
                var operand = Expression();
                cursor.ExpectWord("as");
                var type = PostgresSyntax.DataType(cursor);
                cursor.ExpectPunctuation(')');
                return new CastNode(operand, type);
            case "extract" when cursor.Peek().IsPunctuation('('):
                cursor.Advance();
                cursor.ExpectPunctuation('(');
                var field = cursor.Current.Kind == TokenKind.String ? cursor.Advance().Value : PostgresSyntax.ExpectIdentifier(cursor, "a field name");
                cursor.ExpectWord("from");
                var source = Expression();
                cursor.ExpectPunctuation(')');
                return new ExtractNode(field.ToLowerInvariant(), source);
        }

        if (KeywordFunctions.Contains(word) && !cursor.Peek().IsPunctuation('(') && !cursor.Peek().IsPunctuation('.'))
        {
            cursor.Advance();
            return new KeywordNode(word);
        }

        if (TypedLiteralStarts.Contains(word))
        {
            var typed = TryTypedLiteral();
            if (typed is not null)
            {
                return typed;
            }
        }

        if (Stoppers.Contains(word))
        {
            throw cursor.Error("an expression");
        }

        return NameOrCall();
    }

    /// <summary><c>date '2020-01-01'</c>, <c>interval '1 day'</c>: a cast of a string literal.</summary>
    private SqlNode? TryTypedLiteral()
    {
        var start = cursor.Position;
        try
        {
            var type = PostgresSyntax.DataType(cursor);
            if (cursor.Current.Kind == TokenKind.String)
            {
                var value = cursor.Advance().Value;
                if (type.Name == "interval")
                {
                    // interval '1' day: the field list may follow the literal.
                    var withFields = PostgresSyntaxIntervalTail(type);
                    return new CastNode(new LiteralNode(LiteralKind.String, value), withFields);
                }

                return new CastNode(new LiteralNode(LiteralKind.String, value), type);
            }
        }
        catch (SyntaxErrorException)
        {
        }

        cursor.Position = start;
        return null;
    }

    private DataType PostgresSyntaxIntervalTail(DataType type)
    {
        var words = new List<string>();
        while (cursor.Current.Kind == TokenKind.Word && cursor.Current.Text.ToLowerInvariant() is "year" or "month" or "day" or "hour" or "minute" or "second" or "to")
        {
            words.Add(cursor.Advance().Text.ToLowerInvariant());
        }

        return words.Count == 0 ? type : type with { Qualifier = string.Join(" ", words) };
    }

    private SqlNode NameOrCall()
    {
        var parts = new List<string> { PostgresSyntax.Identifier(cursor.Advance()) };
        while (cursor.IsPunctuation('.'))
        {
            cursor.Advance();
            if (cursor.Current.IsOperator("*"))
            {
                cursor.Advance();
                parts.Add("*");
                return new ColumnRefNode(parts);
            }

            parts.Add(PostgresSyntax.ExpectIdentifier(cursor, "a name"));
        }

        if (!cursor.IsPunctuation('('))
        {
            return new ColumnRefNode(parts);
        }

        var name = parts.Count == 1 ? new QualifiedName(null, parts[0]) : new QualifiedName(parts[parts.Count - 2], parts[parts.Count - 1]);
        return FunctionCall(name);
    }

    private FunctionNode FunctionCall(QualifiedName name)
    {
        cursor.ExpectPunctuation('(');
        var function = new FunctionNode(name, new SqlNode[0]);
        if (cursor.Current.IsOperator("*"))
        {
            cursor.Advance();
            cursor.ExpectPunctuation(')');
            function = function with { Star = true };
        }
        else
        {
            var distinct = cursor.AcceptWord("distinct");
            cursor.AcceptWord("all");
            var arguments = new List<SqlNode>();
            if (!cursor.IsPunctuation(')'))
            {
                do
                {
                    arguments.Add(Expression());
                }
                while (cursor.AcceptPunctuation(','));
            }

            var order = cursor.AcceptWords("order", "by") ? OrderList() : new List<OrderItem>();
            cursor.ExpectPunctuation(')');
            function = function with { Arguments = arguments, Distinct = distinct, OrderBy = order };
        }

        if (cursor.IsWord("filter") && cursor.Peek().IsPunctuation('('))
        {
            cursor.Advance();
            cursor.ExpectPunctuation('(');
            cursor.ExpectWord("where");
            var filter = Expression();
            cursor.ExpectPunctuation(')');
            function = function with { Filter = filter };
        }

        if (cursor.AcceptWord("over"))
        {
            if (!cursor.IsPunctuation('('))
            {
                var windowName = PostgresSyntax.ExpectIdentifier(cursor, "a window name or (");
                return function with { Over = new WindowSpec(new SqlNode[0], new OrderItem[0]) { Name = windowName, Bare = true } };
            }

            function = function with { Over = WindowDefinition() };
        }

        return function;
    }

    /// <summary><c>([base window] [PARTITION BY ...] [ORDER BY ...] [frame])</c>, as after OVER and WINDOW name AS.</summary>
    private WindowSpec WindowDefinition()
    {
        cursor.ExpectPunctuation('(');
        string? baseWindow = null;
        if (cursor.Current.IsIdentifierLike && !cursor.IsWord("partition") && !cursor.IsWord("order") && !IsFrameStart())
        {
            baseWindow = PostgresSyntax.ExpectIdentifier(cursor, "a window name");
        }

        var partition = new List<SqlNode>();
        if (cursor.AcceptWords("partition", "by"))
        {
            partition.Add(Expression());
            while (cursor.AcceptPunctuation(','))
            {
                partition.Add(Expression());
            }
        }

        var order = cursor.AcceptWords("order", "by") ? OrderList() : new List<OrderItem>();
        string? frame = null;
        if (IsFrameStart())
        {
            var start = cursor.Position;
            cursor.SkipBalanced(stopAtComma: false);
            frame = TokenCursor.FoldWhitespace(cursor.SourceText(start, cursor.Position)).ToLowerInvariant();
        }

        cursor.ExpectPunctuation(')');
        return new WindowSpec(partition, order) { Name = baseWindow, Frame = frame };
    }

    private bool IsFrameStart() => cursor.IsWord("rows") || cursor.IsWord("range") || cursor.IsWord("groups");

    private List<SqlNode> ArgumentList()
    {
        cursor.ExpectPunctuation('(');
        var items = new List<SqlNode>();
        if (!cursor.IsPunctuation(')'))
        {
            do
            {
                items.Add(Expression());
            }
            while (cursor.AcceptPunctuation(','));
        }

        cursor.ExpectPunctuation(')');
        return items;
    }

    private ArrayNode ArrayLiteral()
    {
        cursor.ExpectPunctuation('[');
        var items = new List<SqlNode>();
        if (!cursor.IsPunctuation(']'))
        {
            do
            {
                items.Add(cursor.IsPunctuation('[') ? ArrayLiteral() : Expression());
            }
            while (cursor.AcceptPunctuation(','));
        }

        cursor.ExpectPunctuation(']');
        return new ArrayNode(items);
    }

    private CaseNode Case()
    {
        cursor.ExpectWord("case");
        SqlNode? operand = cursor.IsWord("when") ? null : Expression();
        var branches = new List<(SqlNode, SqlNode)>();
        while (cursor.AcceptWord("when"))
        {
            var when = Expression();
            cursor.ExpectWord("then");
            branches.Add((when, Expression()));
        }

        if (branches.Count == 0)
        {
            throw cursor.Error("WHEN");
        }

        var otherwise = cursor.AcceptWord("else") ? Expression() : null;
        cursor.ExpectWord("end");
        return new CaseNode(operand, branches, otherwise);
    }

    /// <summary>Extends <paramref name="left"/> with the operator at the cursor, or returns null when it binds too weakly.</summary>
    private SqlNode? Infix(SqlNode left, int minPower)
    {
        var token = cursor.Current;
        if (token.Kind == TokenKind.Operator)
        {
            return OperatorInfix(left, token, minPower);
        }

        if (token.IsPunctuation('[') && SubscriptPower > minPower)
        {
            return Subscript(left);
        }

        if (token.Kind != TokenKind.Word)
        {
            return null;
        }

        var word = token.Text.ToLowerInvariant();
        switch (word)
        {
            case "and" when AndPower > minPower:
                cursor.Advance();
                return Bool("and", left, Parse(AndPower));
            case "or" when OrPower > minPower:
                cursor.Advance();
                return Bool("or", left, Parse(OrPower));
            case "is" when IsPower > minPower:
                return IsTest(left);
            case "isnull" when IsPower > minPower:
                cursor.Advance();
                return new IsNode(left, "null", null);
            case "notnull" when IsPower > minPower:
                cursor.Advance();
                return new IsNode(left, "not null", null);
            case "collate" when CollatePower > minPower:
                cursor.Advance();
                var collation = PostgresSyntax.QualifiedName(cursor, "a collation name");
                return new CollateNode(left, collation.Name);
            case "at" when AtTimeZonePower > minPower && cursor.Peek().IsWord("time"):
                cursor.Advance();
                cursor.ExpectWords("time", "zone");
                return new BinaryNode("at time zone", left, Parse(AtTimeZonePower));
            case "not" when LikePower > minPower && IsLikeWord(cursor.Peek()):
                cursor.Advance();
                return LikeFamily(left, negated: true);
            default:
                return LikePower > minPower && IsLikeWord(token) ? LikeFamily(left, negated: false) : null;
        }
    }

    private static bool IsLikeWord(Token token) =>
        token.IsWord("like") || token.IsWord("ilike") || token.IsWord("in") || token.IsWord("between") || token.IsWord("similar");

    private SqlNode? OperatorInfix(SqlNode left, Token token, int minPower)
    {
        var op = token.Text;
        if (op == "::")
        {
            if (CastPower <= minPower)
            {
                return null;
            }

            cursor.Advance();
            return new CastNode(left, PostgresSyntax.DataType(cursor));
        }

        var power = op switch
        {
            "^" => ExponentPower,
            "*" or "/" or "%" => MultiplicativePower,
            "+" or "-" => AdditivePower,
            "<" or ">" or "=" or "<=" or ">=" or "<>" or "!=" => ComparisonPower,
            _ => OperatorPower,
        };
        if (power <= minPower)
        {
            return null;
        }

        cursor.Advance();
        if (op == "!=")
        {
            op = "<>";
        }

        if ((cursor.IsWord("any") || cursor.IsWord("some") || cursor.IsWord("all")) && cursor.Peek().IsPunctuation('('))
        {
            var quantifier = cursor.Advance().Text.ToLowerInvariant() == "all" ? "all" : "any";
            cursor.ExpectPunctuation('(');
            if (cursor.IsWord("select") || cursor.IsWord("values") || cursor.IsWord("with"))
            {
                var query = Query();
                cursor.ExpectPunctuation(')');
                return new SubqueryNode(op + " " + quantifier, left, query);
            }

            var array = Expression();
            cursor.ExpectPunctuation(')');
            return new QuantifiedNode(op, left, quantifier, array);
        }

        // Comparisons do not associate in PostgreSQL; the others are left-associative.
        return new BinaryNode(op, left, Parse(power));
    }

    private SqlNode Subscript(SqlNode left)
    {
        cursor.ExpectPunctuation('[');
        SqlNode? lower = cursor.Current.IsOperator(":") ? null : Expression();
        if (cursor.AcceptOperator(":"))
        {
            SqlNode? upper = cursor.IsPunctuation(']') ? null : Expression();
            cursor.ExpectPunctuation(']');
            return new SubscriptNode(left, lower, upper, true);
        }

        cursor.ExpectPunctuation(']');
        return new SubscriptNode(left, lower, null, false);
    }

    private static BoolNode Bool(string op, SqlNode left, SqlNode right)
    {
        // A chain a AND b AND c ... grows the list it started, not a copy per term: a long chain stays linear.
        if (left is BoolNode { Items: List<SqlNode> chain } chained && chained.Operator == op && right is not BoolNode)
        {
            chain.Add(right);
            return chained;
        }

        var items = new List<SqlNode>();
        foreach (var side in new[] { left, right })
        {
            if (side is BoolNode inner && inner.Operator == op)
            {
                items.AddRange(inner.Items);
            }
            else
            {
                items.Add(side);
            }
        }

        return new BoolNode(op, items);
    }

    private SqlNode IsTest(SqlNode left)
    {
        cursor.ExpectWord("is");
        var not = cursor.AcceptWord("not");
        var prefix = not ? "not " : string.Empty;
        if (cursor.AcceptWord("null"))
        {
            return new IsNode(left, prefix + "null", null);
        }

        foreach (var test in new[] { "true", "false", "unknown" })
        {
            if (cursor.AcceptWord(test))
            {
                return new IsNode(left, prefix + test, null);
            }
        }

        if (cursor.AcceptWords("distinct", "from"))
        {
            return new IsNode(left, prefix + "distinct from", Parse(IsPower));
        }

        foreach (var form in new[] { "nfc", "nfd", "nfkc", "nfkd" })
        {
            if (cursor.AcceptWords(form, "normalized"))
            {
                return new IsNode(left, prefix + form + " normalized", null);
            }
        }

        if (cursor.AcceptWord("normalized"))
        {
            // The server writes the default form out.
            return new IsNode(left, prefix + "nfc normalized", null);
        }

        throw cursor.Error("NULL, TRUE, FALSE, UNKNOWN, DISTINCT FROM or NORMALIZED");
    }

    private SqlNode LikeFamily(SqlNode left, bool negated)
    {
        var word = cursor.Advance().Text.ToLowerInvariant();
        switch (word)
        {
            case "like":
                return new BinaryNode(negated ? "!~~" : "~~", left, Parse(LikePower));
            case "ilike":
                return new BinaryNode(negated ? "!~~*" : "~~*", left, Parse(LikePower));
            case "similar":
                cursor.ExpectWord("to");
                return new BinaryNode(negated ? "not similar to" : "similar to", left, Parse(LikePower));
            case "between":
                cursor.AcceptWord("asymmetric");
                var low = Parse(LikePower);
                cursor.ExpectWord("and");
                var high = Parse(LikePower);
                return negated
                    ? new BoolNode("or", new SqlNode[] { new BinaryNode("<", left, low), new BinaryNode(">", left, high) })
                    : new BoolNode("and", new SqlNode[] { new BinaryNode(">=", left, low), new BinaryNode("<=", left, high) });
            default:
                return InList(left, negated);
        }
    }

    private SqlNode InList(SqlNode left, bool negated)
    {
        cursor.ExpectPunctuation('(');
        if (cursor.IsWord("select") || cursor.IsWord("values") || cursor.IsWord("with"))
        {
            var query = Query();
            cursor.ExpectPunctuation(')');
            var subquery = new SubqueryNode("in", left, query);
            return negated ? new UnaryNode("not", subquery) : subquery;
        }

        var items = new List<SqlNode>();
        do
        {
            items.Add(Expression());
        }
        while (cursor.AcceptPunctuation(','));
        cursor.ExpectPunctuation(')');
        return negated
            ? new QuantifiedNode("<>", left, "all", new ArrayNode(items))
            : new QuantifiedNode("=", left, "any", new ArrayNode(items));
    }

    public List<OrderItem> OrderList()
    {
        var items = new List<OrderItem>();
        do
        {
            var expression = Expression();
            var descending = false;
            if (cursor.AcceptWord("desc"))
            {
                descending = true;
            }
            else
            {
                cursor.AcceptWord("asc");
            }

            var nulls = NullsOrder.Default;
            if (cursor.AcceptWord("nulls"))
            {
                nulls = cursor.AcceptWord("first") ? NullsOrder.First : cursor.AcceptWord("last") ? NullsOrder.Last : throw cursor.Error("FIRST or LAST");
            }

            items.Add(new OrderItem(expression, descending, nulls));
        }
        while (cursor.AcceptPunctuation(','));
        return items;
    }

    /// <summary>A query: WITH, SELECT / VALUES, set operations, ORDER BY, LIMIT, OFFSET.</summary>
    public QueryNode Query() => Nested(QueryAtThisLevel);

    private QueryNode QueryAtThisLevel()
    {
        if (cursor.AcceptWord("with"))
        {
            var recursive = cursor.AcceptWord("recursive");
            var tables = new List<CommonTable>();
            do
            {
                var name = PostgresSyntax.ExpectIdentifier(cursor, "a WITH query name");
                var columns = cursor.IsPunctuation('(') ? IdentifierList() : new List<string>();
                cursor.ExpectWord("as");
                string? materialized = null;
                if (cursor.AcceptWords("not", "materialized"))
                {
                    materialized = "not materialized";
                }
                else if (cursor.AcceptWord("materialized"))
                {
                    materialized = "materialized";
                }

                cursor.ExpectPunctuation('(');
                var inner = Query();
                cursor.ExpectPunctuation(')');
                tables.Add(new CommonTable(name, columns, materialized, inner));
            }
            while (cursor.AcceptPunctuation(','));
            return new WithQueryNode(recursive, tables, Query());
        }

        var query = QueryTerm();
        List<SetArm>? arms = null;
        while (cursor.IsWord("union") || cursor.IsWord("intersect") || cursor.IsWord("except"))
        {
            var op = cursor.Advance().Text.ToLowerInvariant();
            var all = cursor.AcceptWord("all");
            cursor.AcceptWord("distinct");
            (arms ??= new List<SetArm>()).Add(new SetArm(op, all, QueryTerm()));
        }

        if (arms is not null)
        {
            query = new SetOperationNode(query, arms);
        }

        var order = cursor.AcceptWords("order", "by") ? OrderList() : null;
        SqlNode? limit = null;
        SqlNode? offset = null;
        while (true)
        {
            if (cursor.AcceptWord("limit"))
            {
                limit = cursor.AcceptWord("all") ? null : Expression();
            }
            else if (cursor.AcceptWord("offset"))
            {
                offset = Expression();
                if (!cursor.AcceptWord("rows"))
                {
                    cursor.AcceptWord("row");
                }
            }
            else if (cursor.IsWord("fetch"))
            {
                cursor.Advance();
                if (!cursor.AcceptWord("first"))
                {
                    cursor.ExpectWord("next");
                }

                limit = cursor.IsWord("row") || cursor.IsWord("rows") ? new LiteralNode(LiteralKind.Number, "1") : Parse(UnaryPower);
                if (!cursor.AcceptWord("rows"))
                {
                    cursor.ExpectWord("row");
                }

                cursor.ExpectWord("only");
            }
            else
            {
                break;
            }
        }

        return order is null && limit is null && offset is null ? query : new SortedQueryNode(query, order ?? new List<OrderItem>(), limit, offset);
    }

    private QueryNode QueryTerm()
    {
        if (cursor.IsPunctuation('('))
        {
            cursor.Advance();
            var inner = Query();
            cursor.ExpectPunctuation(')');
            return inner;
        }

        if (cursor.AcceptWord("values"))
        {
            var rows = new List<IReadOnlyList<SqlNode>>();
            do
            {
                rows.Add(ArgumentList());
            }
            while (cursor.AcceptPunctuation(','));
            return new ValuesNode(rows);
        }

        cursor.ExpectWord("select");
        var distinct = false;
        var distinctOn = new List<SqlNode>();
        if (cursor.AcceptWord("distinct"))
        {
            distinct = true;
            if (cursor.AcceptWord("on"))
            {
                distinctOn.AddRange(ArgumentList());
            }
        }
        else
        {
            cursor.AcceptWord("all");
        }

        var targets = new List<SelectTarget>();
        if (!IsClauseEnd())
        {
            do
            {
                var expression = Expression();
                string? alias = null;
                if (cursor.AcceptWord("as"))
                {
                    alias = PostgresSyntax.Identifier(cursor.ExpectIdentifier("a column alias"));
                }
                else if (cursor.Current.Kind == TokenKind.QuotedIdentifier || (cursor.Current.Kind == TokenKind.Word && !Stoppers.Contains(cursor.Current.Text.ToLowerInvariant())))
                {
                    alias = PostgresSyntax.Identifier(cursor.Advance());
                }

                targets.Add(new SelectTarget(expression, alias));
            }
            while (cursor.AcceptPunctuation(','));
        }

        var from = new List<FromItem>();
        if (cursor.AcceptWord("from"))
        {
            do
            {
                from.Add(FromItem());
            }
            while (cursor.AcceptPunctuation(','));
        }

        var where = cursor.AcceptWord("where") ? Expression() : null;
        var groupBy = new List<SqlNode>();
        if (cursor.AcceptWords("group", "by"))
        {
            do
            {
                groupBy.Add(Expression());
            }
            while (cursor.AcceptPunctuation(','));
        }

        var having = cursor.AcceptWord("having") ? Expression() : null;
        var windows = new List<(string Name, WindowSpec Spec)>();
        if (cursor.AcceptWord("window"))
        {
            do
            {
                var windowName = PostgresSyntax.ExpectIdentifier(cursor, "a window name");
                cursor.ExpectWord("as");
                windows.Add((windowName, WindowDefinition()));
            }
            while (cursor.AcceptPunctuation(','));
        }

        return new SelectNode(distinct, targets, from, where, groupBy, having) { DistinctOn = distinctOn, Windows = windows };
    }

    private bool IsClauseEnd() =>
        cursor.AtEnd || cursor.IsPunctuation(';') || cursor.IsPunctuation(')') || cursor.IsWord("from") || cursor.IsWord("where");

    private FromItem FromItem()
    {
        var item = FromPrimary();
        while (true)
        {
            string? kind = null;
            if (cursor.AcceptWords("cross", "join"))
            {
                kind = "cross join";
            }
            else if (cursor.AcceptWord("join") || cursor.AcceptWords("inner", "join"))
            {
                kind = "join";
            }
            else
            {
                foreach (var side in new[] { "left", "right", "full" })
                {
                    if (cursor.AcceptWords(side, "join") || cursor.AcceptWords(side, "outer", "join"))
                    {
                        kind = side + " join";
                        break;
                    }
                }
            }

            if (kind is null)
            {
                return item;
            }

            var right = FromPrimary();
            SqlNode? on = null;
            var usingColumns = new List<string>();
            if (kind != "cross join")
            {
                if (cursor.AcceptWord("using"))
                {
                    cursor.ExpectPunctuation('(');
                    do
                    {
                        usingColumns.Add(PostgresSyntax.ExpectIdentifier(cursor, "a column name"));
                    }
                    while (cursor.AcceptPunctuation(','));
                    cursor.ExpectPunctuation(')');
                }
                else
                {
                    cursor.ExpectWord("on");
                    on = Expression();
                }
            }

            item = new JoinItem(kind, item, right, on, usingColumns);
        }
    }

    private FromItem FromPrimary()
    {
        var lateral = cursor.AcceptWord("lateral");
        if (cursor.IsPunctuation('('))
        {
            var isQuery = cursor.Peek().IsWord("select") || cursor.Peek().IsWord("values") || cursor.Peek().IsWord("with");
            cursor.Advance();
            if (isQuery)
            {
                // A level of nesting like any other: 10,000 nested FROM subqueries are a syntax error, not a stack overflow.
                var query = Nested(Query);
                cursor.ExpectPunctuation(')');
                var alias = Alias() ?? throw cursor.Error("an alias for the subquery");
                return new SubqueryRef(query, alias, lateral) { Columns = cursor.IsPunctuation('(') ? IdentifierList() : new List<string>() };
            }

            var nested = Nested(FromItem);
            cursor.ExpectPunctuation(')');
            return nested;
        }

        cursor.AcceptWord("only");
        var name = PostgresSyntax.QualifiedName(cursor, "a table name");
        if (cursor.IsPunctuation('('))
        {
            var function = FunctionCall(name);
            var ordinality = cursor.AcceptWords("with", "ordinality");
            var functionAlias = Alias();
            var columns = functionAlias is not null && cursor.IsPunctuation('(') ? IdentifierList() : new List<string>();
            return new FunctionRef(function, functionAlias) { Columns = columns, WithOrdinality = ordinality };
        }

        return new TableRef(name, Alias());
    }

    /// <summary><c>(name, ...)</c>: column names of a WITH query or a FROM item's alias.</summary>
    private List<string> IdentifierList()
    {
        cursor.ExpectPunctuation('(');
        var names = new List<string>();
        do
        {
            names.Add(PostgresSyntax.ExpectIdentifier(cursor, "a column name"));
        }
        while (cursor.AcceptPunctuation(','));
        cursor.ExpectPunctuation(')');
        return names;
    }

    private string? Alias()
    {
        if (cursor.AcceptWord("as"))
        {
            return PostgresSyntax.ExpectIdentifier(cursor, "an alias");
        }

        if (cursor.Current.Kind == TokenKind.QuotedIdentifier
            || (cursor.Current.Kind == TokenKind.Word && !Stoppers.Contains(cursor.Current.Text.ToLowerInvariant())))
        {
            return PostgresSyntax.Identifier(cursor.Advance());
        }

        return null;
    }
}
