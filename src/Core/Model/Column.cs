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

    /// <summary>
    /// The column with these attributes, or the column itself where none differs: the parsers and normalizers set several
    /// at once, and a copy per column (or per attribute) was a large part of what loading a large schema allocated.
    /// </summary>
    internal Column With(
        DataType type, bool nullable, ColumnDefault? columnDefault, bool autoIncrement, string? onUpdate, GeneratedColumn? generated,
        string? comment, bool invisible, string? collation, string? charset) =>
        ReferenceEquals(type, Type) && nullable == Nullable && ReferenceEquals(columnDefault, Default) && autoIncrement == AutoIncrement
        && onUpdate == OnUpdate && ReferenceEquals(generated, Generated) && comment == Comment && invisible == Invisible
        && collation == Collation && charset == Charset
            ? this
            : this with
            {
                Type = type,
                Nullable = nullable,
                Default = columnDefault,
                AutoIncrement = autoIncrement,
                OnUpdate = onUpdate,
                Generated = generated,
                Comment = comment,
                Invisible = invisible,
                Collation = collation,
                Charset = charset,
            };
}
