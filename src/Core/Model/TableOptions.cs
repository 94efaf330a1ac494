namespace SchemaBuild.Core.Model;

/// <summary>Storage options of a table. MySQL fields are normalized explicit; PostgreSQL uses <see cref="Unlogged"/>.</summary>
public sealed record TableOptions
{
    public static readonly TableOptions Default = new();

    /// <summary>MySQL storage engine, e.g. <c>InnoDB</c>.</summary>
    public string? Engine { get; init; }

    /// <summary>MySQL default character set of the table.</summary>
    public string? Charset { get; init; }

    public string? Collation { get; init; }

    /// <summary>MySQL <c>ROW_FORMAT</c>; null when the engine default applies.</summary>
    public string? RowFormat { get; init; }

    /// <summary>PostgreSQL <c>UNLOGGED</c>.</summary>
    public bool Unlogged { get; init; }

    /// <summary>Other options kept verbatim and sorted (<c>STATS_PERSISTENT</c>, PostgreSQL <c>WITH (...)</c>).</summary>
    public EquatableList<ObjectOption> Other { get; init; } = EquatableList<ObjectOption>.Empty;
}
