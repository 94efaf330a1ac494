namespace SchemaBuild.Core.Model;

/// <summary>A CHECK constraint; the expression is normalized text.</summary>
public sealed record CheckConstraint(string Name, string Expression)
{
    /// <summary>PostgreSQL <c>NO INHERIT</c>.</summary>
    public bool NoInherit { get; init; }

    /// <summary>The expression as written (PostgreSQL); deployed instead of <see cref="Expression"/>, never compared.</summary>
    public WrittenSql Written { get; init; } = WrittenSql.None;

    public SourceSpan Span { get; init; } = SourceSpan.None;

    public Annotations Annotations { get; init; } = Annotations.None;
}
