namespace SchemaBuild.Core.Model;

/// <summary>How rows are assigned to partitions.</summary>
public enum PartitionMethod
{
    Range,
    List,
    Hash,
    Key,
}

/// <summary>
/// A table's partitioning scheme. MySQL/MariaDB: method, key (<see cref="Expression"/>, or
/// <see cref="KeyColumns"/> for <c>COLUMNS</c> and <c>KEY</c>), subpartitioning, and the
/// partitions with their bounds (or only <see cref="Count"/> for HASH/KEY). PostgreSQL: method and
/// key (<see cref="KeyParts"/>) of a partitioned parent; its partitions are tables of their own (<see cref="Table.PartitionOf"/>).
/// </summary>
public sealed record Partitioning(PartitionMethod Method)
{
    /// <summary>MySQL <c>LINEAR HASH</c> / <c>LINEAR KEY</c>.</summary>
    public bool Linear { get; init; }

    /// <summary>MySQL <c>RANGE COLUMNS</c> / <c>LIST COLUMNS</c>: the key is <see cref="KeyColumns"/>.</summary>
    public bool Columns { get; init; }

    /// <summary>The key expression (MySQL RANGE/LIST/HASH), or PostgreSQL's whole key list, canonical.</summary>
    public string? Expression { get; init; }

    /// <summary>Key columns for <c>COLUMNS</c> and <c>KEY</c> (empty <c>KEY()</c>: the primary key).</summary>
    public EquatableList<string> KeyColumns { get; init; } = EquatableList<string>.Empty;

    /// <summary>PostgreSQL: the key's columns and expressions, normalized as index keys are.</summary>
    public EquatableList<IndexKeyPart> KeyParts { get; init; } = EquatableList<IndexKeyPart>.Empty;

    /// <summary>MySQL <c>KEY ALGORITHM=1</c>; null for the default (2).</summary>
    public int? KeyAlgorithm { get; init; }

    /// <summary><c>PARTITIONS n</c> when the partitions are not listed (HASH/KEY).</summary>
    public int? Count { get; init; }

    /// <summary>MySQL <c>SUBPARTITION BY</c>; its own partitions are only counted.</summary>
    public Partitioning? Subpartitioning { get; init; }

    /// <summary>The listed partitions, in order (bounds increase for RANGE).</summary>
    public EquatableList<Partition> Partitions { get; init; } = EquatableList<Partition>.Empty;

    /// <summary>The same scheme (method and key): partitions can be added, dropped or reorganized without a rebuild.</summary>
    public bool SameScheme(Partitioning other) =>
        (this with { Count = null, Partitions = EquatableList<Partition>.Empty })
            .Equals(other with { Count = null, Partitions = EquatableList<Partition>.Empty });
}

/// <summary>One partition of a MySQL/MariaDB table.</summary>
public sealed record Partition(string Name)
{
    /// <summary>
    /// RANGE: the <c>LESS THAN</c> values (<c>MAXVALUE</c> included); LIST: the <c>IN</c> values
    /// (a parenthesized tuple each for several columns); empty with <see cref="IsDefault"/> or for HASH/KEY.
    /// Canonical expressions; constant integer bounds evaluated as the server does.
    /// </summary>
    public EquatableList<string> Values { get; init; } = EquatableList<string>.Empty;

    /// <summary>MariaDB <c>PARTITION p DEFAULT</c> of a LIST scheme.</summary>
    public bool IsDefault { get; init; }

    public string? Comment { get; init; }

    /// <summary>Other options kept verbatim and sorted (<c>DATA DIRECTORY</c>, <c>MAX_ROWS</c>, ...); the engine is the table's.</summary>
    public EquatableList<ObjectOption> Options { get; init; } = EquatableList<ObjectOption>.Empty;
}
