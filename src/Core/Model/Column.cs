namespace SchemaBuild.Core.Model;

/// <summary>A table column. Its position is its index in <see cref="Table.Columns"/>.</summary>
public sealed record Column(string Name, DataType Type)
{
    public bool Nullable { get; init; } = true;

    public ColumnDefault? Default { get; init; }

    /// <summary>MySQL <c>AUTO_INCREMENT</c>.</summary>
    public bool AutoIncrement { get; init; }

    /// <summary>PostgreSQL identity; <c>serial</c> is normalized to a sequence plus a default instead.</summary>
    public IdentityColumn? Identity { get; init; }

    public GeneratedColumn? Generated { get; init; }

    /// <summary>MySQL <c>ON UPDATE</c> expression (normalized text).</summary>
    public string? OnUpdate { get; init; }

    /// <summary>Character set of a MySQL string column; the normalizer makes it explicit.</summary>
    public string? Charset { get; init; }

    /// <summary>Collation; MySQL normalizes it explicit, PostgreSQL keeps it only where written.</summary>
    public string? Collation { get; init; }

    /// <summary>MariaDB <c>INVISIBLE</c>.</summary>
    public bool Invisible { get; init; }

    public string? Comment { get; init; }

    public SourceSpan Span { get; init; } = SourceSpan.None;

    public Annotations Annotations { get; init; } = Annotations.None;
}
