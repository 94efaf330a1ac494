using System.Collections.Generic;

namespace SchemaBuild.Runtime.Online.Roles;

/// <summary>
/// What one table's ghost copy works on, as the engine resolved it when preparing: the original,
/// the shadow (new definition), the changelog (marker rows) and the name the old table keeps after
/// the swap; the copy key; the column mapping shadow ← original.
/// </summary>
/// <param name="Original">The live table (unquoted name).</param>
/// <param name="Shadow">The table built with the target definition.</param>
/// <param name="Changelog">A small table the engine writes marker rows to, read back from the stream.</param>
/// <param name="Old">The name the original keeps after the cutover (<c>_name_old</c>).</param>
/// <param name="KeyColumns">Copy key columns in the original (primary key or first non-null unique key), in order.</param>
/// <param name="Columns">Shadow columns and where each value comes from.</param>
internal sealed record GhostCopyTable(string Original, string Shadow, string Changelog, string Old, IReadOnlyList<string> KeyColumns, IReadOnlyList<ColumnMapping> Columns)
{
    /// <summary>Every object the copy created, so cancel/complete can remove exactly those.</summary>
    public IReadOnlyList<string> Artifacts => new[] { Shadow, Changelog };
}

/// <summary>How a shadow column is filled from the original: kept or renamed (<see cref="SourceColumn"/> set, converted by the server on insert), or added (null: its default).</summary>
internal sealed record ColumnMapping(string ShadowColumn, string? SourceColumn);
