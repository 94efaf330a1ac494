using System.Collections.Generic;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Dialects.Postgres.Expressions;

// The syntax tree of PostgreSQL expressions and queries, only as deep as canonical printing needs.
// Parentheses are not kept: the printer decides them, which is what makes two spellings converge.

internal abstract record SqlNode;

internal enum LiteralKind
{
    String,
    Number,
    Boolean,
    Null,
    BitString,
}

internal sealed record LiteralNode(LiteralKind Kind, string Value) : SqlNode;

/// <summary>A column reference, <c>t.col</c>, <c>*</c> or <c>t.*</c>; parts as identifiers (already case-folded).</summary>
internal sealed record ColumnRefNode(IReadOnlyList<string> Parts) : SqlNode
{
    public string Column => Parts[Parts.Count - 1];
}

internal sealed record ParameterNode(string Text) : SqlNode;

/// <summary>Function call; <see cref="Star"/> for <c>count(*)</c>.</summary>
internal sealed record FunctionNode(QualifiedName Name, IReadOnlyList<SqlNode> Arguments) : SqlNode
{
    public bool Star { get; init; }

    public bool Distinct { get; init; }

    public IReadOnlyList<OrderItem> OrderBy { get; init; } = new OrderItem[0];

    public SqlNode? Filter { get; init; }

    /// <summary>Window: <c>OVER (PARTITION BY ... ORDER BY ...)</c>.</summary>
    public WindowSpec? Over { get; init; }
}

internal sealed record WindowSpec(IReadOnlyList<SqlNode> PartitionBy, IReadOnlyList<OrderItem> OrderBy)
{
    /// <summary>A named window: <c>OVER w</c>, or the window <c>OVER (w ORDER BY ...)</c> builds on.</summary>
    public string? Name { get; init; }

    /// <summary>The frame clause (<c>rows between unbounded preceding and current row</c>), lower-case, whitespace folded.</summary>
    public string? Frame { get; init; }

    /// <summary>True for <c>OVER w</c> without parentheses.</summary>
    public bool Bare { get; init; }
}

/// <summary>SQL-standard keyword functions without parentheses: <c>current_timestamp</c>, <c>current_user</c>.</summary>
internal sealed record KeywordNode(string Keyword) : SqlNode;

internal sealed record UnaryNode(string Operator, SqlNode Operand) : SqlNode;

internal sealed record BinaryNode(string Operator, SqlNode Left, SqlNode Right) : SqlNode;

/// <summary>AND / OR, flattened to a list.</summary>
internal sealed record BoolNode(string Operator, IReadOnlyList<SqlNode> Items) : SqlNode;

/// <summary><c>x IS [NOT] NULL|TRUE|FALSE|UNKNOWN</c>, <c>IS [NOT] DISTINCT FROM y</c>.</summary>
internal sealed record IsNode(SqlNode Operand, string Test, SqlNode? Other) : SqlNode;

internal sealed record CastNode(SqlNode Operand, DataType Type) : SqlNode;

internal sealed record CollateNode(SqlNode Operand, string Collation) : SqlNode;

/// <summary><c>x op ANY|ALL (array)</c>; <c>IN (list)</c> becomes <c>= ANY (ARRAY[...])</c>.</summary>
internal sealed record QuantifiedNode(string Operator, SqlNode Left, string Quantifier, SqlNode Right) : SqlNode;

internal sealed record ArrayNode(IReadOnlyList<SqlNode> Items) : SqlNode;

internal sealed record RowNode(IReadOnlyList<SqlNode> Items) : SqlNode;

internal sealed record CaseNode(SqlNode? Operand, IReadOnlyList<(SqlNode When, SqlNode Then)> Branches, SqlNode? Else) : SqlNode;

internal sealed record SubscriptNode(SqlNode Operand, SqlNode? Lower, SqlNode? Upper, bool Slice) : SqlNode;

/// <summary><c>(expr).field</c>.</summary>
internal sealed record FieldNode(SqlNode Operand, string Field) : SqlNode;

/// <summary>A subquery in an expression: scalar <c>(SELECT ...)</c>, <c>EXISTS (...)</c>, <c>x IN (SELECT ...)</c>.</summary>
internal sealed record SubqueryNode(string Kind, SqlNode? Left, QueryNode Query) : SqlNode;

/// <summary>Special-syntax functions kept with their keywords: <c>EXTRACT(field FROM x)</c>.</summary>
internal sealed record ExtractNode(string Field, SqlNode Source) : SqlNode;

internal sealed record OrderItem(SqlNode Expression, bool Descending, NullsOrder Nulls);

internal abstract record QueryNode : SqlNode;

internal sealed record SelectTarget(SqlNode Expression, string? Alias);

internal sealed record SelectNode(
    bool Distinct,
    IReadOnlyList<SelectTarget> Targets,
    IReadOnlyList<FromItem> From,
    SqlNode? Where,
    IReadOnlyList<SqlNode> GroupBy,
    SqlNode? Having) : QueryNode
{
    public IReadOnlyList<SqlNode> DistinctOn { get; init; } = new SqlNode[0];

    /// <summary>The WINDOW clause: named window definitions.</summary>
    public IReadOnlyList<(string Name, WindowSpec Spec)> Windows { get; init; } = new (string, WindowSpec)[0];
}

/// <summary><c>WITH [RECURSIVE] name [(columns)] AS [[NOT] MATERIALIZED] (query), ... body</c>.</summary>
internal sealed record WithQueryNode(bool Recursive, IReadOnlyList<CommonTable> Tables, QueryNode Body) : QueryNode;

/// <summary>One WITH query; <see cref="Materialized"/> is <c>materialized</c>, <c>not materialized</c> or null.</summary>
internal sealed record CommonTable(string Name, IReadOnlyList<string> Columns, string? Materialized, QueryNode Query);

/// <summary>
/// A chain of UNION / INTERSECT / EXCEPT, applied left to right: <c>First op1 Arms[0] op2 Arms[1] ...</c>. A list, not a
/// left-deep tree, so a chain of thousands of arms is walked without recursion.
/// </summary>
internal sealed record SetOperationNode(QueryNode First, IReadOnlyList<SetArm> Arms) : QueryNode;

/// <summary>One operator of a set-operation chain and the query on its right.</summary>
internal sealed record SetArm(string Operator, bool All, QueryNode Query);

/// <summary>A query with ORDER BY / LIMIT / OFFSET applied to it.</summary>
internal sealed record SortedQueryNode(QueryNode Query, IReadOnlyList<OrderItem> OrderBy, SqlNode? Limit, SqlNode? Offset) : QueryNode;

/// <summary><c>VALUES (...), (...)</c>.</summary>
internal sealed record ValuesNode(IReadOnlyList<IReadOnlyList<SqlNode>> Rows) : QueryNode;

internal abstract record FromItem;

internal sealed record TableRef(QualifiedName Name, string? Alias) : FromItem;

internal sealed record SubqueryRef(QueryNode Query, string Alias, bool Lateral) : FromItem
{
    /// <summary>Column aliases: <c>(SELECT ...) s(a, b)</c>.</summary>
    public IReadOnlyList<string> Columns { get; init; } = new string[0];
}

/// <summary>A function in FROM (implicitly LATERAL, so the keyword is not kept).</summary>
internal sealed record FunctionRef(FunctionNode Function, string? Alias) : FromItem
{
    /// <summary>Column aliases: <c>f(x) alias(a, b)</c>.</summary>
    public IReadOnlyList<string> Columns { get; init; } = new string[0];

    public bool WithOrdinality { get; init; }
}

internal sealed record JoinItem(string Kind, FromItem Left, FromItem Right, SqlNode? On, IReadOnlyList<string> Using) : FromItem;
