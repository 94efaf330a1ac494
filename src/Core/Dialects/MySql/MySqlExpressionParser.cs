using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using SchemaBuild.Core.Syntax;
using static SchemaBuild.Core.Dialects.MySql.MySqlExpressionNode;

namespace SchemaBuild.Core.Dialects.MySql;

/// <summary>
/// Precedence-climbing parser for MySQL expressions over a token range, rewriting the spellings the
/// server rewrites (<c>lower</c> → <c>lcase</c>, <c>now()</c> → <c>current_timestamp()</c>, <c>%</c> →
/// <c>MOD</c>, <c>!=</c> → <c>&lt;&gt;</c>, <c>true</c> → <c>1</c>, ...). Throws
/// <see cref="SyntaxErrorException"/> on input it cannot read; callers fall back to token text.
/// </summary>
internal sealed class MySqlExpressionParser
{
    private static readonly Dictionary<string, string> FunctionSynonyms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["lower"] = "lcase",
        ["upper"] = "ucase",
        ["substring"] = "substr",
        ["length"] = "octet_length",
        ["character_length"] = "char_length",
        ["ceil"] = "ceiling",
        ["now"] = "current_timestamp",
        ["localtime"] = "current_timestamp",
        ["localtimestamp"] = "current_timestamp",
        ["current_date"] = "curdate",
        ["current_time"] = "curtime",
        ["power"] = "pow",
        ["rlike"] = "regexp",
    };

    /// <summary>Functions that may be written without parentheses.</summary>
    private static readonly HashSet<string> Niladic = new(StringComparer.OrdinalIgnoreCase)
    {
        "current_timestamp", "localtime", "localtimestamp", "current_date", "current_time", "current_user",
        "utc_date", "utc_time", "utc_timestamp",
    };

    private static readonly HashSet<string> IntervalUnits = new(StringComparer.OrdinalIgnoreCase)
    {
        "microsecond", "second", "minute", "hour", "day", "week", "month", "quarter", "year",
        "second_microsecond", "minute_microsecond", "minute_second", "hour_microsecond", "hour_second",
        "hour_minute", "day_microsecond", "day_second", "day_minute", "day_hour", "year_month",
    };

    private static readonly string[] BitOrOperators = { "|" };
    private static readonly string[] BitAndOperators = { "&" };
    private static readonly string[] ShiftOperators = { "<<", ">>" };
    private static readonly string[] AdditiveOperators = { "+", "-" };
    private static readonly string[] BitXorOperators = { "^" };

    private readonly IReadOnlyList<Token> tokens;

    private readonly int end;
    private readonly Token endToken;
    private readonly Func<int, int, string>? subquery;
    private const int MaxDepth = 200;
    private int position;
    private int depth;
    private int operators;
    private const int MaxOperators = 2000;

    /// <param name="subquery">Formats the tokens of a nested SELECT (start inclusive, end exclusive); null treats it as text.</param>
    public MySqlExpressionParser(IReadOnlyList<Token> tokens, int start, int end, Func<int, int, string>? subquery = null)
    {
        this.tokens = tokens;
        position = start;
        this.end = Math.Min(end, tokens.Count - 1);
        this.subquery = subquery;
        var last = tokens[this.end];
        endToken = new Token(TokenKind.EndOfFile, string.Empty, string.Empty, last.Start, last.Line, last.Column);
    }

    public int Position => position;

    public bool AtEnd => position >= end;

    // Past the range every read sees an end-of-input token (at the range end's location), so a loop that tests the kind of the
    // current token and steps over it stops there instead of stepping past the range forever.
    private Token Current => position < end ? tokens[position] : endToken;

    private Token PeekAt(int offset) => position + offset < end ? tokens[position + offset] : endToken;

    /// <summary>Parses the whole range as one expression.</summary>
    public MySqlExpressionNode ParseAll()
    {
        var node = ParseExpression();
        if (!AtEnd)
        {
            throw Error("end of expression");
        }

        return node;
    }

    public MySqlExpressionNode ParseExpression()
    {
        Enter();
        var node = ParseOr();
        depth--;
        return node;
    }

    /// <summary>Bounds operator chains, which print and walk recursively.</summary>
    private MySqlExpressionNode Chained(MySqlExpressionNode node)
    {
        if (++operators > MaxOperators)
        {
            throw new SyntaxErrorException(Current, "expression too long (more than " + MaxOperators + " operators)");
        }

        return node;
    }

    /// <summary>Bounds recursion: hostile input must give a diagnostic, not a stack overflow.</summary>
    private void Enter()
    {
        if (++depth > MaxDepth)
        {
            depth = 0;
            throw new SyntaxErrorException(Current, "expression nested too deeply (more than " + MaxDepth + " levels)");
        }
    }

    private MySqlExpressionNode ParseOr()
    {
        var left = ParseXor();
        while (AcceptWord("or") || AcceptOperator("||"))
        {
            left = Chained(new Binary("or", Precedences.Or, left, ParseXor()));
        }

        return left;
    }

    private MySqlExpressionNode ParseXor()
    {
        var left = ParseAnd();
        while (AcceptWord("xor"))
        {
            left = Chained(new Binary("xor", Precedences.Xor, left, ParseAnd()));
        }

        return left;
    }

    private MySqlExpressionNode ParseAnd()
    {
        var left = ParseNot();
        while (AcceptWord("and") || AcceptOperator("&&"))
        {
            left = Chained(new Binary("and", Precedences.And, left, ParseNot()));
        }

        return left;
    }

    private MySqlExpressionNode ParseNot()
    {
        if (AcceptWord("not"))
        {
            Enter();
            var operand = ParseNot();
            depth--;
            return Negate(operand);
        }

        return ParsePredicate();
    }

    /// <summary>The server pushes NOT into comparisons and predicates, and turns NOT x into x = 0.</summary>
    private static MySqlExpressionNode Negate(MySqlExpressionNode node)
    {
        switch (node)
        {
            case Binary { Op: "=" } b:
                return new Binary("<>", b.Precedence, b.Left, b.Right);
            case Binary { Op: "<>" } b:
                return new Binary("=", b.Precedence, b.Left, b.Right);
            case Binary { Op: "<" } b:
                return new Binary(">=", b.Precedence, b.Left, b.Right);
            case Binary { Op: ">=" } b:
                return new Binary("<", b.Precedence, b.Left, b.Right);
            case Binary { Op: ">" } b:
                return new Binary("<=", b.Precedence, b.Left, b.Right);
            case Binary { Op: "<=" } b:
                return new Binary(">", b.Precedence, b.Left, b.Right);
            case Binary { Op: "and" } b:
                return new Binary("or", Precedences.Or, Negate(b.Left), Negate(b.Right));
            case Binary { Op: "or" } b:
                return new Binary("and", Precedences.And, Negate(b.Left), Negate(b.Right));
            case Predicate p:
                return new Predicate(p.Subject, p.Keyword, p.Operands, !p.Negated);
            case Identifier or Function or Literal:
                return new Binary("=", Precedences.Comparison, node, new Literal("0"));
            default:
                return new Unary("not", node);
        }
    }

    private MySqlExpressionNode ParsePredicate()
    {
        var left = ParseBitOr();
        while (true)
        {
            var token = Current;
            if (token.Kind == TokenKind.Operator && ComparisonOperator(token.Text) is { } op)
            {
                position++;
                left = Chained(new Binary(op, Precedences.Comparison, left, ParseBitOr()));
                continue;
            }

            if (AcceptWord("is"))
            {
                var negated = AcceptWord("not");
                var what = Current;
                if (!(what.IsWord("null") || what.IsWord("true") || what.IsWord("false") || what.IsWord("unknown")))
                {
                    throw Error("NULL, TRUE, FALSE or UNKNOWN");
                }

                position++;
                left = new Predicate(left, "is", new List<MySqlExpressionNode> { new Literal(what.Text.ToLowerInvariant()) }, negated);
                continue;
            }

            var save = position;
            var not = AcceptWord("not");
            if (AcceptWord("in"))
            {
                left = new Predicate(left, "in", ParseInList(), not);
            }
            else if (AcceptWord("between"))
            {
                var low = ParseBitOr();
                ExpectWord("and");
                var high = ParseBitOr();
                left = new Predicate(left, "between", new List<MySqlExpressionNode> { low, high }, not);
            }
            else if (AcceptWord("like"))
            {
                var operands = new List<MySqlExpressionNode> { ParseBitOr() };
                if (AcceptWord("escape"))
                {
                    operands.Add(ParsePrimary());
                }

                left = new Predicate(left, "like", operands, not);
            }
            else if (AcceptWord("regexp") || AcceptWord("rlike"))
            {
                left = Chained(new Binary(not ? "not regexp" : "regexp", Precedences.Comparison, left, ParseBitOr()));
            }
            else
            {
                position = save;
                return left;
            }
        }
    }

    private List<MySqlExpressionNode> ParseInList()
    {
        ExpectPunctuation('(');
        if (Current.IsWord("select") || Current.IsWord("with"))
        {
            position--;
            return new List<MySqlExpressionNode> { ParseSubquery() };
        }

        var items = new List<MySqlExpressionNode> { ParseExpression() };
        while (AcceptPunctuation(','))
        {
            items.Add(ParseExpression());
        }

        ExpectPunctuation(')');
        return items;
    }

    private static string? ComparisonOperator(string text) => text switch
    {
        "=" or "<=>" or "<" or "<=" or ">" or ">=" or "<>" => text,
        "!=" => "<>",
        _ => null,
    };

    private MySqlExpressionNode ParseBitOr() => ParseLeft(Operand.BitAnd, Precedences.BitOr, BitOrOperators);

    private MySqlExpressionNode ParseBitAnd() => ParseLeft(Operand.Shift, Precedences.BitAnd, BitAndOperators);

    private MySqlExpressionNode ParseShift() => ParseLeft(Operand.Additive, Precedences.Shift, ShiftOperators);

    private MySqlExpressionNode ParseAdditive() => ParseLeft(Operand.Multiplicative, Precedences.Additive, AdditiveOperators);

    private MySqlExpressionNode ParseMultiplicative()
    {
        var left = ParseBitXor();
        while (true)
        {
            string op;
            if (AcceptOperator("*"))
            {
                op = "*";
            }
            else if (AcceptOperator("/"))
            {
                op = "/";
            }
            else if (AcceptOperator("%") || AcceptWord("mod"))
            {
                op = "MOD";
            }
            else if (AcceptWord("div"))
            {
                op = "DIV";
            }
            else
            {
                return left;
            }

            left = Chained(new Binary(op, Precedences.Multiplicative, left, ParseBitXor()));
        }
    }

    private MySqlExpressionNode ParseBitXor() => ParseLeft(Operand.Unary, Precedences.BitXor, BitXorOperators);

    /// <summary>The left-associative levels; an enum rather than a delegate, which would be allocated at every operand.</summary>
    private enum Operand
    {
        BitAnd,
        Shift,
        Additive,
        Multiplicative,
        Unary,
    }

    private MySqlExpressionNode ParseOperand(Operand operand) => operand switch
    {
        Operand.BitAnd => ParseBitAnd(),
        Operand.Shift => ParseShift(),
        Operand.Additive => ParseAdditive(),
        Operand.Multiplicative => ParseMultiplicative(),
        _ => ParseUnary(),
    };

    private MySqlExpressionNode ParseLeft(Operand next, int precedence, string[] operators)
    {
        var left = ParseOperand(next);
        while (true)
        {
            var op = CurrentOperatorOf(operators);
            if (op is null)
            {
                return left;
            }

            position++;
            left = Chained(new Binary(op, precedence, left, ParseOperand(next)));
        }
    }

    private string? CurrentOperatorOf(string[] operators)
    {
        foreach (var op in operators)
        {
            if (Current.IsOperator(op))
            {
                return op;
            }
        }

        return null;
    }

    private MySqlExpressionNode ParseUnary()
    {
        Enter();
        var node = ParseUnaryOperand();
        depth--;
        return node;
    }

    private MySqlExpressionNode ParseUnaryOperand()
    {
        if (AcceptOperator("-"))
        {
            return new Unary("-", ParseUnary());
        }

        if (AcceptOperator("+"))
        {
            return ParseUnary();
        }

        if (AcceptOperator("~"))
        {
            return new Unary("~", ParseUnary());
        }

        if (AcceptOperator("!"))
        {
            return Negate(ParseUnary());
        }

        if (Current.IsWord("binary") && !PeekAt(1).IsPunctuation('('))
        {
            position++;
            return new Unary("binary", ParseUnary());
        }

        var node = ParsePrimary();
        while (AcceptWord("collate"))
        {
            node = new Collate(node, ExpectName().ToLowerInvariant());
        }

        return node;
    }

    private MySqlExpressionNode ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Number:
                position++;
                return new Literal(token.Text);
            case TokenKind.String:
                return ParseString();
            case TokenKind.BinaryLiteral:
                position++;
                return BinaryLiteral(token.Text);
            case TokenKind.Parameter:
                position++;
                return new Raw(token.Text);
            case TokenKind.Operator when token.Text == "*":
                position++;
                return new Star(null);
            case TokenKind.Punctuation when token.Text == "(":
                return ParseParenthesized();
            case TokenKind.QuotedIdentifier:
                return ParseIdentifier();
            case TokenKind.Word:
                return ParseWord();
            default:
                throw Error("an expression");
        }
    }

    private MySqlExpressionNode ParseString()
    {
        var token = Current;
        position++;
        var value = new StringBuilder(token.Value);
        while (Current.Kind == TokenKind.String && !Current.Text.StartsWith("_", StringComparison.Ordinal))
        {
            value.Append(Current.Value);
            position++;
        }

        string? introducer = null;
        if (token.Text.StartsWith("_", StringComparison.Ordinal))
        {
            // The server prints the canonical character set name: _utf8 is _utf8mb3.
            introducer = "_" + MySqlNames.CanonicalCharset(token.Text.Substring(1, token.Text.IndexOf('\'') - 1));
        }

        return Literal.String(value.ToString(), introducer);
    }

    /// <summary>The server prints hex literals as the string they spell when it is printable text.</summary>
    private static MySqlExpressionNode BinaryLiteral(string text)
    {
        var lower = text.ToLowerInvariant();
        var hex = lower.StartsWith("0x", StringComparison.Ordinal) ? lower.Substring(2)
            : lower.StartsWith("x'", StringComparison.Ordinal) ? lower.Substring(2, Math.Max(0, lower.Length - 3)) : null;
        if (hex is null)
        {
            var bits = lower.StartsWith("0b", StringComparison.Ordinal) ? lower.Substring(2) : lower.Substring(2, Math.Max(0, lower.Length - 3));
            // The server prints bit values without leading zeros.
            var trimmed = bits.TrimStart('0');
            return new Literal("b'" + (trimmed.Length == 0 ? "0" : trimmed) + "'");
        }

        if (hex.Length % 2 == 0 && hex.Length > 0)
        {
            var chars = new StringBuilder();
            for (var i = 0; i < hex.Length; i += 2)
            {
                var value = Convert.ToInt32(hex.Substring(i, 2), 16);
                if (value < 0x20 || value > 0x7e)
                {
                    return new Literal("x'" + hex + "'");
                }

                chars.Append((char)value);
            }

            return Literal.String(chars.ToString());
        }

        return new Literal("x'" + hex + "'");
    }

    private MySqlExpressionNode ParseParenthesized()
    {
        if (PeekAt(1).IsWord("select") || PeekAt(1).IsWord("with"))
        {
            return ParseSubquery();
        }

        ExpectPunctuation('(');
        var node = ParseExpression();
        if (Current.IsPunctuation(','))
        {
            var items = new List<MySqlExpressionNode> { node };
            while (AcceptPunctuation(','))
            {
                items.Add(ParseExpression());
            }

            node = new Row(items);
        }

        ExpectPunctuation(')');
        return node;
    }

    /// <summary>A parenthesized SELECT at the current '(' (consumed through its ')').</summary>
    private MySqlExpressionNode ParseSubquery()
    {
        var open = position;
        var close = MatchingParen(open);
        position = close + 1;
        var text = subquery is null
            ? MySqlExpressions.TokenText(tokens, open + 1, close)
            : subquery(open + 1, close);
        return new Raw("(" + text + ")");
    }

    private int MatchingParen(int open)
    {
        var close = MySqlExpressions.MatchingParen(tokens, open, end);
        if (close < 0)
        {
            position = end;
            throw Error("')'");
        }

        return close;
    }

    private MySqlExpressionNode ParseWord()
    {
        var token = Current;
        var word = token.Text.ToLowerInvariant();
        var call = PeekAt(1).IsPunctuation('(');
        switch (word)
        {
            case "null":
                position++;
                return new Literal("NULL");
            case "true":
                position++;
                return new Literal("1");
            case "false":
                position++;
                return new Literal("0");
            case "case":
                return ParseCase();
            case "interval":
                position++;
                var value = ParseExpression();
                return new Interval(value, ExpectIntervalUnit());
            case "exists" when call:
                position++;
                return new Raw("exists" + ParseSubquery());
        }

        if (call)
        {
            return ParseCall(word);
        }

        if (Niladic.Contains(word) && !PeekAt(1).IsPunctuation('.'))
        {
            position++;
            return new Function(CanonicalFunctionName(word), new List<MySqlExpressionNode>());
        }

        return ParseIdentifier();
    }

    private MySqlExpressionNode ParseIdentifier()
    {
        var parts = new List<string> { ExpectName() };
        while (Current.IsPunctuation('.'))
        {
            position++;
            if (Current.IsOperator("*"))
            {
                position++;
                return new Star(parts[parts.Count - 1]);
            }

            parts.Add(ExpectName());
        }

        return new Identifier(parts);
    }

    private MySqlExpressionNode ParseCase()
    {
        position++;
        MySqlExpressionNode? operand = null;
        if (!Current.IsWord("when"))
        {
            operand = ParseExpression();
        }

        var branches = new List<(MySqlExpressionNode, MySqlExpressionNode)>();
        while (AcceptWord("when"))
        {
            var when = ParseExpression();
            ExpectWord("then");
            branches.Add((when, ParseExpression()));
        }

        if (branches.Count == 0)
        {
            throw Error("WHEN");
        }

        var otherwise = AcceptWord("else") ? ParseExpression() : null;
        ExpectWord("end");
        return new Case(operand, branches, otherwise);
    }

    private MySqlExpressionNode ParseCall(string word)
    {
        position += 2;
        switch (word)
        {
            case "cast":
            {
                var value = ParseExpression();
                ExpectWord("as");
                return Cast(value, ReadTypeText());
            }

            case "convert":
            {
                var value = ParseExpression();
                if (AcceptWord("using"))
                {
                    var charset = ExpectName().ToLowerInvariant();
                    ExpectPunctuation(')');
                    return new KeywordFunction("convert", new List<object> { value, "using", charset });
                }

                ExpectPunctuation(',');
                return Cast(value, ReadTypeText());
            }

            case "extract":
            {
                var unit = ExpectIntervalUnit();
                ExpectWord("from");
                var value = ParseExpression();
                ExpectPunctuation(')');
                return new KeywordFunction("extract", new List<object> { unit, "from", value });
            }

            case "trim":
                return ParseTrim();
            case "group_concat":
                return ParseGroupConcat();
            case "position":
            {
                var needle = ParseBitOr();
                ExpectWord("in");
                var haystack = ParseExpression();
                ExpectPunctuation(')');
                return new Function("locate", new List<MySqlExpressionNode> { needle, haystack });
            }
        }

        string? prefix = null;
        if (AcceptWord("distinct"))
        {
            prefix = "distinct";
        }

        var arguments = new List<MySqlExpressionNode>();
        if (!Current.IsPunctuation(')'))
        {
            arguments.Add(ParseExpression());
            while (AcceptPunctuation(',') || ((word is "substring" or "substr") && (AcceptWord("from") || AcceptWord("for"))))
            {
                arguments.Add(ParseExpression());
            }
        }

        ExpectPunctuation(')');
        return Rewrite(word, arguments, prefix);
    }

    /// <summary>
    /// <c>GROUP_CONCAT([DISTINCT] e, ... [ORDER BY e [ASC|DESC], ...] [SEPARATOR 's'] [LIMIT n])</c>, printed as the
    /// server prints it: every ORDER BY key with its direction, the separator always (default ',').
    /// </summary>
    private MySqlExpressionNode ParseGroupConcat()
    {
        var parts = new List<object>();
        if (AcceptWord("distinct"))
        {
            parts.Add("distinct");
        }

        var values = new List<MySqlExpressionNode> { ParseExpression() };
        while (AcceptPunctuation(','))
        {
            values.Add(ParseExpression());
        }

        parts.Add(new ItemList(values, values.Select(_ => (string?)null).ToList()));
        if (AcceptWord("order"))
        {
            ExpectWord("by");
            parts.Add("order by");
            var keys = new List<MySqlExpressionNode>();
            var directions = new List<string?>();
            do
            {
                keys.Add(ParseExpression());
                directions.Add(AcceptWord("desc") ? "DESC" : "ASC");
                AcceptWord("asc");
            }
            while (AcceptPunctuation(','));
            parts.Add(new ItemList(keys, directions));
        }

        var separator = ",";
        if (AcceptWord("separator"))
        {
            if (Current.Kind != TokenKind.String)
            {
                throw new SyntaxErrorException(Current, "expected a separator string, found " + Current.Describe());
            }

            separator = Current.Value;
            position++;
        }

        parts.Add("separator");
        parts.Add(Literal.String(separator));
        if (AcceptWord("limit"))
        {
            parts.Add("limit");
            parts.Add(ParseExpression());
        }

        ExpectPunctuation(')');
        return new KeywordFunction("group_concat", parts);
    }

    private MySqlExpressionNode ParseTrim()
    {
        var parts = new List<object>();
        if (Current.IsWord("leading") || Current.IsWord("trailing") || Current.IsWord("both"))
        {
            parts.Add(Current.Text.ToLowerInvariant());
            position++;
        }

        if (!AcceptWord("from"))
        {
            var first = ParseExpression();
            if (AcceptWord("from"))
            {
                parts.Add(first);
                parts.Add("from");
                parts.Add(ParseExpression());
            }
            else
            {
                parts.Add(first);
            }
        }
        else
        {
            parts.Add("from");
            parts.Add(ParseExpression());
        }

        ExpectPunctuation(')');
        return parts.Count == 1 ? new Function("trim", new List<MySqlExpressionNode> { (MySqlExpressionNode)parts[0] }) : new KeywordFunction("trim", parts);
    }

    private static MySqlExpressionNode Cast(MySqlExpressionNode value, string type) =>
        new KeywordFunction("cast", new List<object> { value, "as", type });

    /// <summary>A cast target type up to the closing ')', consumed: <c>decimal(5,2)</c>, <c>unsigned</c>, <c>date</c>.</summary>
    private string ReadTypeText()
    {
        var words = new StringBuilder();
        var depth = 0;
        while (!AtEnd && !(depth == 0 && Current.IsPunctuation(')')))
        {
            var token = Current;
            if (token.IsPunctuation('('))
            {
                depth++;
                words.Append('(');
            }
            else if (token.IsPunctuation(')'))
            {
                depth--;
                words.Append(')');
            }
            else if (token.IsPunctuation(','))
            {
                words.Append(',');
            }
            else
            {
                if (words.Length > 0 && depth == 0)
                {
                    words.Append(' ');
                }

                words.Append(token.Text.ToLowerInvariant());
            }

            position++;
        }

        ExpectPunctuation(')');
        var text = words.ToString();
        return text switch
        {
            "signed integer" or "signed int" => "signed",
            "unsigned integer" or "unsigned int" => "unsigned",
            _ => text,
        };
    }

    private static MySqlExpressionNode Rewrite(string word, List<MySqlExpressionNode> arguments, string? prefix)
    {
        switch (word)
        {
            case "mod" when arguments.Count == 2:
                return new Binary("MOD", Precedences.Multiplicative, arguments[0], arguments[1]);
            case "date" when arguments.Count == 1:
                return Cast(arguments[0], "date");
            case "date_add" or "adddate" when arguments.Count == 2 && arguments[1] is Interval:
                return new Binary("+", Precedences.Additive, arguments[0], arguments[1]);
            case "date_sub" or "subdate" when arguments.Count == 2 && arguments[1] is Interval:
                return new Binary("-", Precedences.Additive, arguments[0], arguments[1]);
            case "count" when arguments.Count == 1 && arguments[0] is Star { Qualifier: null } && prefix is null:
                return new Function("count", new List<MySqlExpressionNode> { new Literal("0") });
        }

        return new Function(CanonicalFunctionName(word), arguments, prefix);
    }

    private static string CanonicalFunctionName(string word) =>
        FunctionSynonyms.TryGetValue(word, out var canonical) ? canonical : word.ToLowerInvariant();

    private string ExpectIntervalUnit()
    {
        if (Current.Kind != TokenKind.Word || !IntervalUnits.Contains(Current.Text))
        {
            throw Error("an interval unit (DAY, HOUR, ...)");
        }

        return tokens[position++].Text.ToLowerInvariant();
    }

    private string ExpectName()
    {
        var token = Current;
        if (!token.IsIdentifierLike)
        {
            throw Error("a name");
        }

        position++;
        return token.Value;
    }

    private bool AcceptWord(string word)
    {
        if (!Current.IsWord(word) || AtEnd)
        {
            return false;
        }

        position++;
        return true;
    }

    private void ExpectWord(string word)
    {
        if (!AcceptWord(word))
        {
            throw Error(word.ToUpperInvariant());
        }
    }

    private bool AcceptOperator(string op)
    {
        if (!Current.IsOperator(op) || AtEnd)
        {
            return false;
        }

        position++;
        return true;
    }

    private bool AcceptPunctuation(char c)
    {
        if (!Current.IsPunctuation(c) || AtEnd)
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
            throw Error("'" + c + "'");
        }
    }

    private SyntaxErrorException Error(string expected) =>
        new(Current, "expected " + expected + ", found " + (AtEnd ? "end of expression" : Current.Describe()));
}
