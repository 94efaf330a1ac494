namespace SchemaBuild.Core.Model;

/// <summary>How a default is written: a constant value, or an expression the server evaluates.</summary>
public enum DefaultKind
{
    /// <summary>A constant; <see cref="ColumnDefault.Value"/> holds the unquoted value text.</summary>
    Literal,

    /// <summary>An expression (<c>current_timestamp()</c>, <c>nextval(...)</c>) in normalized text.</summary>
    Expression,
}

/// <summary>A column default. A nullable column without a default has none (<c>DEFAULT NULL</c> is the same).</summary>
public sealed record ColumnDefault(DefaultKind Kind, string Value)
{
    public static ColumnDefault Literal(string value) => new(DefaultKind.Literal, value);

    /// <summary>The default as written (PostgreSQL); deployed instead of <see cref="Value"/>, never compared.</summary>
    public WrittenSql Written { get; init; } = WrittenSql.None;

    public static ColumnDefault Expression(string text) => new(DefaultKind.Expression, text);

    public override string ToString() => Kind == DefaultKind.Literal ? "'" + Value + "'" : Value;
}
