namespace SchemaBuild.Core.Model;

/// <summary>A view (or PostgreSQL materialized view) with its query in normalized text.</summary>
public sealed record View(QualifiedName Name, string Definition)
{
    /// <summary>Explicit column names (<c>CREATE VIEW v (a, b) AS ...</c>); empty when not given.</summary>
    public EquatableList<string> ColumnNames { get; init; } = EquatableList<string>.Empty;

    public bool Materialized { get; init; }

    /// <summary>Indexes of a materialized view (a view has none), sorted by name.</summary>
    public EquatableList<Index> Indexes { get; init; } = EquatableList<Index>.Empty;

    /// <summary>
    /// <c>WITH NO DATA</c> (or <c>WITH DATA</c>) as written after a materialized view's query: deployed, never compared,
    /// because a later REFRESH populates the view without changing what it is.
    /// </summary>
    public WrittenSql WrittenData { get; init; } = WrittenSql.None;

    /// <summary>The query as written; deployed instead of <see cref="Definition"/>, never compared.</summary>
    public WrittenSql Written { get; init; } = WrittenSql.None;

    /// <summary>The column list as written, with its parentheses; deployed with <see cref="Written"/>.</summary>
    public WrittenSql WrittenColumns { get; init; } = WrittenSql.None;

    /// <summary><c>LOCAL</c> or <c>CASCADED</c> when <c>WITH CHECK OPTION</c> is given.</summary>
    public string? CheckOption { get; init; }

    /// <summary>Other options (MySQL <c>ALGORITHM</c>, <c>SQL SECURITY</c>; PostgreSQL <c>WITH (security_barrier)</c>), sorted.</summary>
    public EquatableList<ObjectOption> Options { get; init; } = EquatableList<ObjectOption>.Empty;

    public string? Comment { get; init; }

    public SourceSpan Span { get; init; } = SourceSpan.None;

    public Annotations Annotations { get; init; } = Annotations.None;
}
