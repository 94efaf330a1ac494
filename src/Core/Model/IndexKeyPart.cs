namespace SchemaBuild.Core.Model;

/// <summary>Sort direction of an index key part.</summary>
public enum SortOrder
{
    Ascending,
    Descending,
}

/// <summary>PostgreSQL NULLS FIRST/LAST; <see cref="Default"/> is the engine's default for the sort order.</summary>
public enum NullsOrder
{
    Default,
    First,
    Last,
}

/// <summary>One key part of an index or key: a column (with optional prefix length) or an expression.</summary>
public sealed record IndexKeyPart
{
    public static IndexKeyPart ForColumn(string column) => new() { Column = column };

    public static IndexKeyPart ForExpression(string expression) => new() { Expression = expression };

    public string? Column { get; init; }

    /// <summary>Normalized expression text for expression indexes.</summary>
    public string? Expression { get; init; }

    /// <summary>The expression as written (PostgreSQL); deployed instead of <see cref="Expression"/>, never compared.</summary>
    public WrittenSql Written { get; init; } = WrittenSql.None;

    /// <summary>MySQL prefix length (<c>name(10)</c>).</summary>
    public int? PrefixLength { get; init; }

    public SortOrder Order { get; init; } = SortOrder.Ascending;

    public NullsOrder Nulls { get; init; } = NullsOrder.Default;

    public string? Collation { get; init; }

    /// <summary>PostgreSQL operator class (<c>text_pattern_ops</c>).</summary>
    public string? OperatorClass { get; init; }

    public override string ToString() => (Column ?? "(" + Expression + ")")
        + (PrefixLength is null ? string.Empty : "(" + PrefixLength + ")")
        + (Order == SortOrder.Descending ? " desc" : string.Empty);
}
