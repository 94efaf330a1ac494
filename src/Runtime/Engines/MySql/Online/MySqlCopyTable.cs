using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Engines.MySql.Online;

/// <summary>A <see cref="GhostCopyTable"/> with its names quoted once, and the SQL pieces every MySQL role shares (mapped column lists, key columns on both sides).</summary>
internal sealed class MySqlCopyTable
{
    public MySqlCopyTable(GhostCopyTable table, IDdlWriter writer, IReadOnlyList<(string Original, string Shadow, bool Nullable)> checksumColumns)
    {
        Table = table;
        Original = writer.QuoteIdentifier(table.Original);
        Shadow = writer.QuoteIdentifier(table.Shadow);
        var copied = table.Columns.Where(c => c.SourceColumn is not null).ToList();
        ShadowColumns = string.Join(", ", copied.Select(c => writer.QuoteIdentifier(c.ShadowColumn)));
        SourceColumns = string.Join(", ", copied.Select(c => writer.QuoteIdentifier(c.SourceColumn!)));
        KeyOriginal = table.KeyColumns.Select(writer.QuoteIdentifier).ToList();
        KeyShadow = table.KeyColumns.Select(k => writer.QuoteIdentifier(table.Columns.First(c => c.SourceColumn == k).ShadowColumn)).ToList();
        ChecksumColumns = checksumColumns;
        Writer = writer;
    }

    public GhostCopyTable Table { get; }

    /// <summary>ADD INDEX clauses of the shadow's indexes left out until the bulk copy ends (<see cref="MySqlDeferredIndexes"/>); emptied once added.</summary>
    public IReadOnlyList<string> DeferredIndexes { get; set; } = System.Array.Empty<string>();

    public IDdlWriter Writer { get; }

    public string Original { get; }

    public string Shadow { get; }

    /// <summary>Shadow columns filled from the original, in order.</summary>
    public string ShadowColumns { get; }

    /// <summary>The original's columns in the same order (the server converts types on insert).</summary>
    public string SourceColumns { get; }

    public IReadOnlyList<string> KeyOriginal { get; }

    public IReadOnlyList<string> KeyShadow { get; }

    /// <summary>
    /// Expressions compared by the checksum, one per column, on each side (values rendered the same way on both), and whether
    /// either side may hold NULL (only then is a NULL flag summed: <c>CONCAT_WS</c> skips NULLs).
    /// </summary>
    public IReadOnlyList<(string Original, string Shadow, bool Nullable)> ChecksumColumns { get; }
}
