using System.Collections.Generic;
using System.Linq;
using System.Text;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Dialects.Postgres.Expressions;

/// <summary>
/// Prints a syntax tree in the canonical text form: lower-case keywords and function names,
/// identifiers quoted only when needed, single spaces, and parentheses exactly around operands that
/// are themselves operator expressions (so the text never depends on how the author parenthesized).
/// </summary>
internal static class PostgresExpressionPrinter
{
    public static string Print(SqlNode node)
    {
        var builder = new StringBuilder();
        Write(builder, node);
        return builder.ToString();
    }

    private static bool IsAtomic(SqlNode node) => node switch
    {
        LiteralNode literal => !(literal.Kind == LiteralKind.Number && literal.Value.StartsWith("-", System.StringComparison.Ordinal)),
        ColumnRefNode or ParameterNode or FunctionNode or KeywordNode or CastNode or ArrayNode or RowNode or CaseNode
            or SubscriptNode or FieldNode or ExtractNode => true,
        SubqueryNode subquery => subquery.Left is null,
        _ => false,
    };

    private static void Operand(StringBuilder builder, SqlNode node)
    {
        if (IsAtomic(node))
        {
            Write(builder, node);
            return;
        }

        builder.Append('(');
        Write(builder, node);
        builder.Append(')');
    }

    private static void Write(StringBuilder builder, SqlNode node)
    {
        switch (node)
        {
            case LiteralNode literal:
                builder.Append(literal.Kind == LiteralKind.String ? PostgresQuoting.Literal(literal.Value) : literal.Value);
                break;
            case ColumnRefNode column:
                builder.Append(string.Join(".", column.Parts.Select(p => p == "*" ? p : PostgresQuoting.Identifier(p))));
                break;
            case ParameterNode parameter:
                builder.Append(parameter.Text);
                break;
            case KeywordNode keyword:
                builder.Append(keyword.Keyword);
                break;
            case FunctionNode function:
                WriteFunction(builder, function);
                break;
            case UnaryNode unary:
                builder.Append(unary.Operator);
                if (char.IsLetter(unary.Operator[0]))
                {
                    builder.Append(' ');
                }

                Operand(builder, unary.Operand);
                break;
            case BinaryNode binary:
                Operand(builder, binary.Left);
                builder.Append(' ').Append(binary.Operator).Append(' ');
                Operand(builder, binary.Right);
                break;
            case BoolNode boolean:
                for (var i = 0; i < boolean.Items.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(' ').Append(boolean.Operator).Append(' ');
                    }

                    Operand(builder, boolean.Items[i]);
                }

                break;
            case IsNode test:
                Operand(builder, test.Operand);
                builder.Append(" is ").Append(test.Test);
                if (test.Other is not null)
                {
                    builder.Append(' ');
                    Operand(builder, test.Other);
                }

                break;
            case CastNode cast:
                Operand(builder, cast.Operand);
                builder.Append("::").Append(PostgresTypes.Format(cast.Type, PostgresQuoting.Identifier));
                break;
            case CollateNode collate:
                Operand(builder, collate.Operand);
                builder.Append(" collate ").Append(PostgresQuoting.Identifier(collate.Collation));
                break;
            case QuantifiedNode quantified:
                Operand(builder, quantified.Left);
                builder.Append(' ').Append(quantified.Operator).Append(' ').Append(quantified.Quantifier).Append(" (");
                Write(builder, quantified.Right);
                builder.Append(')');
                break;
            case ArrayNode array:
                builder.Append("array[");
                List(builder, array.Items);
                builder.Append(']');
                break;
            case RowNode row:
                builder.Append("row(");
                List(builder, row.Items);
                builder.Append(')');
                break;
            case CaseNode @case:
                WriteCase(builder, @case);
                break;
            case SubscriptNode subscript:
                Operand(builder, subscript.Operand);
                builder.Append('[');
                if (subscript.Lower is not null)
                {
                    Write(builder, subscript.Lower);
                }

                if (subscript.Slice)
                {
                    builder.Append(':');
                    if (subscript.Upper is not null)
                    {
                        Write(builder, subscript.Upper);
                    }
                }

                builder.Append(']');
                break;
            case FieldNode field:
                builder.Append('(');
                Write(builder, field.Operand);
                builder.Append(").").Append(PostgresQuoting.Identifier(field.Field));
                break;
            case ExtractNode extract:
                builder.Append("extract(").Append(extract.Field).Append(" from ");
                Write(builder, extract.Source);
                builder.Append(')');
                break;
            case SubqueryNode subquery:
                WriteSubquery(builder, subquery);
                break;
            case QueryNode query:
                WriteQuery(builder, query);
                break;
        }
    }

    private static void List(StringBuilder builder, IReadOnlyList<SqlNode> items)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            Write(builder, items[i]);
        }
    }

    private static void WriteFunction(StringBuilder builder, FunctionNode function)
    {
        if (function.Name.Schema is not null)
        {
            builder.Append(PostgresQuoting.Identifier(function.Name.Schema)).Append('.');
        }

        builder.Append(PostgresQuoting.Identifier(function.Name.Name)).Append('(');
        if (function.Star)
        {
            builder.Append('*');
        }
        else
        {
            if (function.Distinct)
            {
                builder.Append("distinct ");
            }

            List(builder, function.Arguments);
            if (function.OrderBy.Count > 0)
            {
                builder.Append(" order by ");
                WriteOrder(builder, function.OrderBy);
            }
        }

        builder.Append(')');
        if (function.Filter is not null)
        {
            builder.Append(" filter (where ");
            Write(builder, function.Filter);
            builder.Append(')');
        }

        if (function.Over is { Bare: true } named)
        {
            builder.Append(" over ").Append(PostgresQuoting.Identifier(named.Name!));
        }
        else if (function.Over is not null)
        {
            builder.Append(" over ");
            WriteWindow(builder, function.Over);
        }
    }

    private static void WriteWindow(StringBuilder builder, WindowSpec window)
    {
        builder.Append('(');
        var separator = string.Empty;
        if (window.Name is not null)
        {
            builder.Append(PostgresQuoting.Identifier(window.Name));
            separator = " ";
        }

        if (window.PartitionBy.Count > 0)
        {
            builder.Append(separator).Append("partition by ");
            List(builder, window.PartitionBy);
            separator = " ";
        }

        if (window.OrderBy.Count > 0)
        {
            builder.Append(separator).Append("order by ");
            WriteOrder(builder, window.OrderBy);
            separator = " ";
        }

        if (window.Frame is not null)
        {
            builder.Append(separator).Append(window.Frame);
        }

        builder.Append(')');
    }

    private static void WriteCase(StringBuilder builder, CaseNode node)
    {
        builder.Append("case");
        if (node.Operand is not null)
        {
            builder.Append(' ');
            Write(builder, node.Operand);
        }

        foreach (var (when, then) in node.Branches)
        {
            builder.Append(" when ");
            Write(builder, when);
            builder.Append(" then ");
            Write(builder, then);
        }

        if (node.Else is not null)
        {
            builder.Append(" else ");
            Write(builder, node.Else);
        }

        builder.Append(" end");
    }

    private static void WriteSubquery(StringBuilder builder, SubqueryNode node)
    {
        if (node.Left is not null)
        {
            Operand(builder, node.Left);
            builder.Append(' ').Append(node.Kind).Append(' ');
        }
        else if (node.Kind != "scalar")
        {
            builder.Append(node.Kind).Append(' ');
        }

        builder.Append('(');
        WriteQuery(builder, (QueryNode)node.Query);
        builder.Append(')');
    }

    private static void WriteOrder(StringBuilder builder, IReadOnlyList<OrderItem> items)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            var item = items[i];
            Write(builder, item.Expression);
            if (item.Descending)
            {
                builder.Append(" desc");
            }

            if (item.Nulls != NullsOrder.Default)
            {
                builder.Append(item.Nulls == NullsOrder.First ? " nulls first" : " nulls last");
            }
        }
    }

    private static void WriteQuery(StringBuilder builder, QueryNode query)
    {
        switch (query)
        {
            case SelectNode select:
                WriteSelect(builder, select);
                break;
            case ValuesNode values:
                builder.Append("values ");
                for (var i = 0; i < values.Rows.Count; i++)
                {
                    builder.Append(i > 0 ? ", (" : "(");
                    List(builder, values.Rows[i]);
                    builder.Append(')');
                }

                break;
            case SetOperationNode set:
                // Printed as the left-deep tree it means: ((a union b) union c) union d.
                builder.Append('(', set.Arms.Count - 1);
                WriteSetArm(builder, set.First);
                for (var i = 0; i < set.Arms.Count; i++)
                {
                    var arm = set.Arms[i];
                    builder.Append(' ').Append(arm.Operator).Append(arm.All ? " all " : " ");
                    WriteSetArm(builder, arm.Query);
                    if (i < set.Arms.Count - 1)
                    {
                        builder.Append(')');
                    }
                }

                break;
            case WithQueryNode with:
                builder.Append(with.Recursive ? "with recursive " : "with ");
                for (var i = 0; i < with.Tables.Count; i++)
                {
                    var table = with.Tables[i];
                    builder.Append(i > 0 ? ", " : string.Empty).Append(PostgresQuoting.Identifier(table.Name));
                    WriteColumnAliases(builder, table.Columns);
                    builder.Append(" as ").Append(table.Materialized is null ? "(" : table.Materialized + " (");
                    WriteQuery(builder, table.Query);
                    builder.Append(')');
                }

                builder.Append(' ');
                WriteQuery(builder, with.Body);
                break;
            case SortedQueryNode sorted:
                WriteQuery(builder, sorted.Query);
                if (sorted.OrderBy.Count > 0)
                {
                    builder.Append(" order by ");
                    WriteOrder(builder, sorted.OrderBy);
                }

                Clause(builder, " limit ", sorted.Limit);
                Clause(builder, " offset ", sorted.Offset);

                break;
        }
    }

    private static void WriteSetArm(StringBuilder builder, QueryNode arm)
    {
        if (arm is SelectNode or ValuesNode)
        {
            WriteQuery(builder, arm);
            return;
        }

        builder.Append('(');
        WriteQuery(builder, arm);
        builder.Append(')');
    }

    private static void WriteSelect(StringBuilder builder, SelectNode select)
    {
        builder.Append("select ");
        if (select.Distinct)
        {
            builder.Append("distinct ");
            if (select.DistinctOn.Count > 0)
            {
                builder.Append("on (");
                List(builder, select.DistinctOn);
                builder.Append(") ");
            }
        }

        for (var i = 0; i < select.Targets.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            Write(builder, select.Targets[i].Expression);
            if (select.Targets[i].Alias is string alias)
            {
                builder.Append(" as ").Append(PostgresQuoting.Identifier(alias));
            }
        }

        if (select.From.Count > 0)
        {
            builder.Append(" from ");
            for (var i = 0; i < select.From.Count; i++)
            {
                if (i > 0)
                {
                    builder.Append(", ");
                }

                WriteFrom(builder, select.From[i]);
            }
        }

        Clause(builder, " where ", select.Where);

        if (select.GroupBy.Count > 0)
        {
            builder.Append(" group by ");
            List(builder, select.GroupBy);
        }

        Clause(builder, " having ", select.Having);
        for (var i = 0; i < select.Windows.Count; i++)
        {
            builder.Append(i == 0 ? " window " : ", ").Append(PostgresQuoting.Identifier(select.Windows[i].Name)).Append(" as ");
            WriteWindow(builder, select.Windows[i].Spec);
        }
    }

    private static void Clause(StringBuilder builder, string keyword, SqlNode? node)
    {
        if (node is not null)
        {
            builder.Append(keyword);
            Write(builder, node);
        }
    }

    private static void WriteFrom(StringBuilder builder, FromItem item)
    {
        switch (item)
        {
            case TableRef table:
                if (table.Name.Schema is not null)
                {
                    builder.Append(PostgresQuoting.Identifier(table.Name.Schema)).Append('.');
                }

                builder.Append(PostgresQuoting.Identifier(table.Name.Name));
                WriteAlias(builder, table.Alias);
                break;
            case SubqueryRef subquery:
                builder.Append(subquery.Lateral ? "lateral (" : "(");
                WriteQuery(builder, subquery.Query);
                builder.Append(')');
                WriteAlias(builder, subquery.Alias);
                WriteColumnAliases(builder, subquery.Columns);
                break;
            case FunctionRef function:
                WriteFunction(builder, function.Function);
                builder.Append(function.WithOrdinality ? " with ordinality" : string.Empty);
                WriteAlias(builder, function.Alias);
                WriteColumnAliases(builder, function.Columns);
                break;
            case JoinItem join:
                WriteFrom(builder, join.Left);
                builder.Append(' ').Append(join.Kind).Append(' ');
                if (join.Right is JoinItem)
                {
                    builder.Append('(');
                    WriteFrom(builder, join.Right);
                    builder.Append(')');
                }
                else
                {
                    WriteFrom(builder, join.Right);
                }

                if (join.On is not null)
                {
                    builder.Append(" on ");
                    Write(builder, join.On);
                }
                else if (join.Using.Count > 0)
                {
                    builder.Append(" using (").Append(string.Join(", ", join.Using.Select(PostgresQuoting.Identifier))).Append(')');
                }

                break;
        }
    }

    private static void WriteColumnAliases(StringBuilder builder, IReadOnlyList<string> columns)
    {
        if (columns.Count > 0)
        {
            builder.Append('(').Append(string.Join(", ", columns.Select(PostgresQuoting.Identifier))).Append(')');
        }
    }

    private static void WriteAlias(StringBuilder builder, string? alias)
    {
        if (alias is not null)
        {
            builder.Append(' ').Append(PostgresQuoting.Identifier(alias));
        }
    }
}
