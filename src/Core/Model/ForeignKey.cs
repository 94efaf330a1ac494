namespace SchemaBuild.Core.Model;

/// <summary>What a foreign key does when the referenced row changes.</summary>
public enum ReferentialAction
{
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

/// <summary>A foreign key constraint.</summary>
public sealed record ForeignKey(
    string Name,
    EquatableList<string> Columns,
    QualifiedName ReferencedTable,
    EquatableList<string> ReferencedColumns)
{
    public ReferentialAction OnDelete { get; init; } = ReferentialAction.NoAction;

    public ReferentialAction OnUpdate { get; init; } = ReferentialAction.NoAction;

    /// <summary><c>MATCH FULL</c> (PostgreSQL); false means the default MATCH SIMPLE.</summary>
    public bool MatchFull { get; init; }

    public Deferrability Deferrability { get; init; } = Deferrability.NotDeferrable;

    public SourceSpan Span { get; init; } = SourceSpan.None;

    public Annotations Annotations { get; init; } = Annotations.None;
}
