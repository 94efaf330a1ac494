using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace SchemaBuild.Core.Dialects.MySql;

/// <summary>
/// A parsed SQL expression, printed the way MariaDB prints it back (SHOW CREATE): lower-case
/// keywords and functions, backtick-quoted identifiers, parentheses only where precedence needs
/// them, no space after commas in argument lists. Printing both the schema file's expression and
/// the server's through these nodes makes the two spellings converge.
/// </summary>
internal abstract class MySqlExpressionNode
{
    /// <summary>Binding strength; a child printed under a stronger parent gets parentheses.</summary>
    public virtual int Precedence => Precedences.Primary;

    public abstract void Print(StringBuilder output);

    public override string ToString()
    {
        var output = new StringBuilder();
        Print(output);
        return output.ToString();
    }

    /// <summary>Visits this node and every node below it (for qualifying column references).</summary>
    public virtual IEnumerable<MySqlExpressionNode> Children => Enumerable.Empty<MySqlExpressionNode>();

    public IEnumerable<MySqlExpressionNode> DescendantsAndSelf()
    {
        yield return this;
        foreach (var child in Children)
        {
            foreach (var node in child.DescendantsAndSelf())
            {
                yield return node;
            }
        }
    }

    protected static void PrintChild(StringBuilder output, MySqlExpressionNode child, int parentPrecedence, bool strict)
    {
        var parens = strict ? child.Precedence <= parentPrecedence : child.Precedence < parentPrecedence;
        if (parens)
        {
            output.Append('(');
        }

        child.Print(output);
        if (parens)
        {
            output.Append(')');
        }
    }

    protected static void PrintList(StringBuilder output, IEnumerable<MySqlExpressionNode> items)
    {
        var first = true;
        foreach (var item in items)
        {
            if (!first)
            {
                output.Append(',');
            }

            item.Print(output);
            first = false;
        }
    }

    public static class Precedences
    {
        public const int Or = 1;
        public const int Xor = 2;
        public const int And = 3;
        public const int Not = 4;
        public const int Between = 5;
        public const int Comparison = 6;
        public const int BitOr = 7;
        public const int BitAnd = 8;
        public const int Shift = 9;
        public const int Additive = 10;
        public const int Multiplicative = 11;
        public const int BitXor = 12;
        public const int Unary = 13;
        public const int Collate = 15;
        public const int Interval = 16;
        public const int Primary = 20;
    }

    /// <summary>A constant or keyword printed as is (<c>1.50</c>, <c>NULL</c>, <c>'x'</c>).</summary>
    public sealed class Literal : MySqlExpressionNode
    {
        public Literal(string text) => Text = text;

        public string Text { get; }

        public static Literal String(string value, string? introducer = null)
        {
            var output = new StringBuilder(value.Length + 2);
            output.Append(introducer).Append('\'');
            foreach (var c in value)
            {
                var escaped = c switch
                {
                    '\\' => "\\\\",
                    '\'' => "\\'",
                    '\n' => "\\n",
                    '\r' => "\\r",
                    '\0' => "\\0",
                    '\u001a' => "\\Z",
                    _ => null,
                };
                if (escaped is null)
                {
                    output.Append(c);
                }
                else
                {
                    output.Append(escaped);
                }
            }

            return new Literal(output.Append('\'').ToString());
        }

        public override void Print(StringBuilder output) => output.Append(Text);
    }

    /// <summary>A column (or qualified column) reference; the parts are unquoted names.</summary>
    public sealed class Identifier : MySqlExpressionNode
    {
        public Identifier(List<string> parts) => Parts = parts;

        public List<string> Parts { get; set; }

        public override void Print(StringBuilder output) =>
            output.Append(string.Join(".", Parts.Select(MySqlNames.Quote)));
    }

    /// <summary><c>*</c> or <c>t.*</c> in a select list or <c>count(*)</c>.</summary>
    public sealed class Star : MySqlExpressionNode
    {
        public Star(string? qualifier) => Qualifier = qualifier;

        public string? Qualifier { get; }

        public override void Print(StringBuilder output) =>
            output.Append(Qualifier is null ? "*" : MySqlNames.Quote(Qualifier) + ".*");
    }

    public sealed class Unary : MySqlExpressionNode
    {
        public Unary(string op, MySqlExpressionNode operand)
        {
            Op = op;
            Operand = operand;
        }

        public string Op { get; }

        public MySqlExpressionNode Operand { get; }

        public override int Precedence => Op == "not" ? Precedences.Not : Op == "binary" ? Precedences.Collate : Precedences.Unary;

        public override IEnumerable<MySqlExpressionNode> Children => new[] { Operand };

        public override void Print(StringBuilder output)
        {
            output.Append(Op);
            if (Op.Length > 1)
            {
                output.Append(' ');
            }

            PrintChild(output, Operand, Precedence, false);
        }
    }

    public sealed class Binary : MySqlExpressionNode
    {
        public Binary(string op, int precedence, MySqlExpressionNode left, MySqlExpressionNode right)
        {
            Op = op;
            Left = left;
            Right = right;
            precedenceValue = precedence;
        }

        private readonly int precedenceValue;

        public string Op { get; }

        public MySqlExpressionNode Left { get; }

        public MySqlExpressionNode Right { get; }

        public override int Precedence => precedenceValue;

        public override IEnumerable<MySqlExpressionNode> Children => new[] { Left, Right };

        public override void Print(StringBuilder output)
        {
            PrintChild(output, Left, Precedence, false);
            output.Append(' ').Append(Op).Append(' ');

            // AND and OR are n-ary in the server: a nested chain of the same operator prints flat.
            var flattens = (Op == "and" || Op == "or") && Right is Binary right && right.Op == Op;
            PrintChild(output, Right, Precedence, !flattens);
        }
    }

    public sealed class Function : MySqlExpressionNode
    {
        public Function(string name, List<MySqlExpressionNode> arguments, string? prefix = null)
        {
            Name = name;
            Arguments = arguments;
            Prefix = prefix;
        }

        public string Name { get; }

        public List<MySqlExpressionNode> Arguments { get; }

        /// <summary><c>distinct</c> in aggregates.</summary>
        public string? Prefix { get; }

        public override IEnumerable<MySqlExpressionNode> Children => Arguments;

        public override void Print(StringBuilder output)
        {
            output.Append(Name).Append('(');
            if (Prefix is not null)
            {
                output.Append(Prefix).Append(' ');
            }

            PrintList(output, Arguments);
            output.Append(')');
        }
    }

    /// <summary>A function with keyword syntax inside its parentheses (<c>cast(x as date)</c>, <c>trim(leading 'x' from y)</c>).</summary>
    public sealed class KeywordFunction : MySqlExpressionNode
    {
        public KeywordFunction(string name, List<object> parts)
        {
            Name = name;
            Parts = parts;
        }

        public string Name { get; }

        /// <summary>Keywords (strings) and expressions, printed separated by spaces.</summary>
        public List<object> Parts { get; }

        public override IEnumerable<MySqlExpressionNode> Children => Parts.OfType<MySqlExpressionNode>();

        public override void Print(StringBuilder output)
        {
            output.Append(Name).Append('(');
            for (var i = 0; i < Parts.Count; i++)
            {
                if (i > 0)
                {
                    output.Append(' ');
                }

                if (Parts[i] is MySqlExpressionNode node)
                {
                    node.Print(output);
                }
                else
                {
                    output.Append((string)Parts[i]);
                }
            }

            output.Append(')');
        }
    }

    public sealed class Case : MySqlExpressionNode
    {
        public Case(MySqlExpressionNode? operand, List<(MySqlExpressionNode When, MySqlExpressionNode Then)> branches, MySqlExpressionNode? otherwise)
        {
            Operand = operand;
            Branches = branches;
            Otherwise = otherwise;
        }

        public MySqlExpressionNode? Operand { get; }

        public List<(MySqlExpressionNode When, MySqlExpressionNode Then)> Branches { get; }

        public MySqlExpressionNode? Otherwise { get; }

        public override IEnumerable<MySqlExpressionNode> Children =>
            new[] { Operand, Otherwise }.Where(n => n is not null).Select(n => n!)
                .Concat(Branches.SelectMany(b => new[] { b.When, b.Then }));

        public override void Print(StringBuilder output)
        {
            output.Append("case ");
            if (Operand is not null)
            {
                Operand.Print(output);
                output.Append(' ');
            }

            foreach (var (when, then) in Branches)
            {
                output.Append("when ");
                when.Print(output);
                output.Append(" then ");
                then.Print(output);
                output.Append(' ');
            }

            if (Otherwise is not null)
            {
                output.Append("else ");
                Otherwise.Print(output);
                output.Append(' ');
            }

            output.Append("end");
        }
    }

    /// <summary>Postfix and mixfix predicates: IN, BETWEEN, LIKE, IS.</summary>
    public sealed class Predicate : MySqlExpressionNode
    {
        public Predicate(MySqlExpressionNode subject, string keyword, List<MySqlExpressionNode> operands, bool negated)
        {
            Subject = subject;
            Keyword = keyword;
            Operands = operands;
            Negated = negated;
        }

        public MySqlExpressionNode Subject { get; }

        /// <summary><c>in</c>, <c>between</c>, <c>like</c>, or <c>is</c> (its operand a Literal null/true/false/unknown).</summary>
        public string Keyword { get; }

        public List<MySqlExpressionNode> Operands { get; }

        public bool Negated { get; set; }

        public override int Precedence => Keyword == "between" ? Precedences.Between : Precedences.Comparison;

        public override IEnumerable<MySqlExpressionNode> Children => new[] { Subject }.Concat(Operands);

        public override void Print(StringBuilder output)
        {
            PrintChild(output, Subject, Precedence, false);
            output.Append(' ');
            if (Keyword == "is")
            {
                output.Append(Negated ? "is not " : "is ");
                output.Append(((Literal)Operands[0]).Text.ToLowerInvariant());
                return;
            }

            if (Negated)
            {
                output.Append("not ");
            }

            output.Append(Keyword).Append(' ');
            switch (Keyword)
            {
                case "in":
                    output.Append('(');
                    PrintList(output, Operands);
                    output.Append(')');
                    break;
                case "between":
                    PrintChild(output, Operands[0], Precedence, true);
                    output.Append(" and ");
                    PrintChild(output, Operands[1], Precedence, true);
                    break;
                default:
                    PrintChild(output, Operands[0], Precedence, true);
                    if (Operands.Count > 1)
                    {
                        output.Append(" escape ");
                        Operands[1].Print(output);
                    }

                    break;
            }
        }
    }

    public sealed class Interval : MySqlExpressionNode
    {
        public Interval(MySqlExpressionNode value, string unit)
        {
            Value = value;
            Unit = unit;
        }

        public MySqlExpressionNode Value { get; }

        public string Unit { get; }

        public override int Precedence => Precedences.Interval;

        public override IEnumerable<MySqlExpressionNode> Children => new[] { Value };

        public override void Print(StringBuilder output)
        {
            output.Append("interval ");
            PrintChild(output, Value, Precedences.Interval, true);
            output.Append(' ').Append(Unit);
        }
    }

    public sealed class Collate : MySqlExpressionNode
    {
        public Collate(MySqlExpressionNode value, string collation)
        {
            Value = value;
            Collation = collation;
        }

        public MySqlExpressionNode Value { get; }

        public string Collation { get; }

        public override int Precedence => Precedences.Collate;

        public override IEnumerable<MySqlExpressionNode> Children => new[] { Value };

        public override void Print(StringBuilder output)
        {
            PrintChild(output, Value, Precedence, false);
            output.Append(" collate ").Append(Collation);
        }
    }

    /// <summary>A row constructor <c>(a,b)</c>.</summary>
    public sealed class Row : MySqlExpressionNode
    {
        public Row(List<MySqlExpressionNode> items) => Items = items;

        public List<MySqlExpressionNode> Items { get; }

        public override IEnumerable<MySqlExpressionNode> Children => Items;

        public override void Print(StringBuilder output)
        {
            output.Append('(');
            PrintList(output, Items);
            output.Append(')');
        }
    }

    /// <summary>Items separated by commas without parentheses, each followed by its keyword if any (GROUP_CONCAT's values, <c>ORDER BY k DESC</c> keys).</summary>
    public sealed class ItemList : MySqlExpressionNode
    {
        public ItemList(List<MySqlExpressionNode> items, List<string?> suffixes)
        {
            Items = items;
            Suffixes = suffixes;
        }

        public List<MySqlExpressionNode> Items { get; }

        public List<string?> Suffixes { get; }

        public override IEnumerable<MySqlExpressionNode> Children => Items;

        public override void Print(StringBuilder output)
        {
            for (var i = 0; i < Items.Count; i++)
            {
                if (i > 0)
                {
                    output.Append(',');
                }

                Items[i].Print(output);
                if (Suffixes[i] is { } suffix)
                {
                    output.Append(' ').Append(suffix);
                }
            }
        }
    }

    /// <summary>Text that is already canonical (a subquery) or could not be parsed (token-level fallback).</summary>
    public sealed class Raw : MySqlExpressionNode
    {
        public Raw(string text) => Text = text;

        public string Text { get; }

        public override void Print(StringBuilder output) => output.Append(Text);
    }
}
