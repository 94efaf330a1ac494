namespace SchemaBuild.Core.Model;

/// <summary>What an index enforces or serves.</summary>
public enum IndexKind
{
    Regular,
    Unique,
    FullText,
    Spatial,
}

/// <summary>
/// An index, or a UNIQUE constraint (PostgreSQL keeps the two apart: <see cref="IsConstraint"/>).
/// The primary key is not an index here; see <see cref="PrimaryKey"/>.
/// </summary>
public sealed record Index(string Name, IndexKind Kind, EquatableList<IndexKeyPart> Parts)
{
    /// <summary>Access method (<c>btree</c>, <c>hash</c>, <c>gin</c>, ...); null for the engine default.</summary>
    public string? Method { get; init; }

    /// <summary>PostgreSQL partial index predicate (normalized text).</summary>
    public string? Predicate { get; init; }

    /// <summary>The predicate as written; deployed instead of <see cref="Predicate"/>, never compared.</summary>
    public WrittenSql WrittenPredicate { get; init; } = WrittenSql.None;

    /// <summary>PostgreSQL <c>INCLUDE</c> columns.</summary>
    public EquatableList<string> Include { get; init; } = EquatableList<string>.Empty;

    /// <summary>PostgreSQL: declared as <c>CONSTRAINT ... UNIQUE</c> rather than <c>CREATE UNIQUE INDEX</c>.</summary>
    public bool IsConstraint { get; init; }

    /// <summary>PostgreSQL 15 <c>NULLS NOT DISTINCT</c>.</summary>
    public bool NullsNotDistinct { get; init; }

    /// <summary>Constraint deferrability (PostgreSQL unique constraints).</summary>
    public Deferrability Deferrability { get; init; } = Deferrability.NotDeferrable;

    public string? Comment { get; init; }

    /// <summary>MySQL/MariaDB <c>INVISIBLE</c>/<c>IGNORED</c> index.</summary>
    public bool Invisible { get; init; }

    /// <summary>Index options kept verbatim (<c>WITH (fillfactor=70)</c>, <c>KEY_BLOCK_SIZE</c>, parser), normalized and sorted.</summary>
    public EquatableList<ObjectOption> Options { get; init; } = EquatableList<ObjectOption>.Empty;

    public SourceSpan Span { get; init; } = SourceSpan.None;

    public Annotations Annotations { get; init; } = Annotations.None;
}
