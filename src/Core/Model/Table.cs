namespace SchemaBuild.Core.Model;

/// <summary>A table. Indexes, foreign keys and checks are sorted by name after normalization.</summary>
public sealed record Table(QualifiedName Name)
{
    public EquatableList<Column> Columns { get; init; } = EquatableList<Column>.Empty;

    public PrimaryKey? PrimaryKey { get; init; }

    public EquatableList<Index> Indexes { get; init; } = EquatableList<Index>.Empty;

    public EquatableList<ForeignKey> ForeignKeys { get; init; } = EquatableList<ForeignKey>.Empty;

    public EquatableList<CheckConstraint> Checks { get; init; } = EquatableList<CheckConstraint>.Empty;

    public TableOptions Options { get; init; } = TableOptions.Default;

    public string? Comment { get; init; }

    /// <summary>The partitioning scheme; null for a table that is not partitioned.</summary>
    public Partitioning? Partitioning { get; init; }

    /// <summary>PostgreSQL: the parent this table is a partition of (<c>PARTITION OF</c>, <c>ATTACH PARTITION</c>).</summary>
    public QualifiedName? PartitionOf { get; init; }

    /// <summary>PostgreSQL: the partition bound as the server prints it (<c>FOR VALUES ...</c> or <c>DEFAULT</c>).</summary>
    public string? PartitionBound { get; init; }

    /// <summary>PostgreSQL <c>INHERITS</c> parents, in order.</summary>
    public EquatableList<QualifiedName> Inherits { get; init; } = EquatableList<QualifiedName>.Empty;

    public SourceSpan Span { get; init; } = SourceSpan.None;

    public Annotations Annotations { get; init; } = Annotations.None;

    /// <summary>The tables it is created after and dropped before: its partitioned parent and its INHERITS parents.</summary>
    public System.Collections.Generic.IEnumerable<QualifiedName> Parents() =>
        PartitionOf is null ? Inherits : System.Linq.Enumerable.Prepend(Inherits, PartitionOf);

    /// <summary>The column with this name, compared the way the engine compares column names.</summary>
    public Column? FindColumn(string name)
    {
        foreach (var column in Columns)
        {
            if (string.Equals(column.Name, name, System.StringComparison.OrdinalIgnoreCase))
            {
                return column;
            }
        }

        return null;
    }
}
