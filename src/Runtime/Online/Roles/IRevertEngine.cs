using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace SchemaBuild.Runtime.Online.Roles;

/// <summary>
/// What an engine adds to its ghost copy for the revert window. A revert is a ghost copy in
/// reverse without the bulk copy: the live table (new definition) is the source, the kept old
/// table the target, the mapping and key are the forward ones turned around, and the stream starts
/// at the swap. The same applier and cutover roles then run on the reversed table.
/// </summary>
internal interface IRevertEngine
{
    /// <summary>
    /// Before the swap, while in sync: what the reverse stream needs to see every write made to the
    /// new table after the swap. PostgreSQL creates a slot and a publication on the shadows (which
    /// keep their OIDs across the rename) and returns the slot and its start; MySQL returns no
    /// position (the forward stream's position after the drain under the cutover lock is the start).
    /// </summary>
    Task<RevertStart> BeforeSwapAsync(IReadOnlyList<GhostCopyTable> tables, CancellationToken cancellationToken);

    /// <summary>After the swap: releases what only the forward stream used (PostgreSQL: its slot, which would retain WAL).</summary>
    Task AfterSwapAsync(CancellationToken cancellationToken);

    /// <summary>The reverse of a swapped table, to be stored with the window (the engine knows the schema and the column mapping).</summary>
    Task<RevertTable> ReverseAsync(GhostCopyTable forward, RevertStart start, CancellationToken cancellationToken);

    /// <summary>
    /// Prepares the reversed table from what the window stored, in any process: <c>Original</c> is the
    /// live table, <c>Shadow</c> the table holding the old rows (renamed when the engine's cutover needs
    /// another name), <c>Old</c> the name the new table takes if the revert swaps. Registers the roles.
    /// </summary>
    Task<GhostCopyTable> PrepareRevertAsync(RevertTable table, CancellationToken cancellationToken);

    /// <summary>The reverse change stream of prepared reversed tables, started later from the stored position.</summary>
    IChangeStream CreateRevertStream(IReadOnlyList<GhostCopyTable> reversed, string? slot);

    /// <summary>Stops reading the reverse stream without giving up its resources (another process continues from the stored position).</summary>
    Task DetachRevertStreamAsync(CancellationToken cancellationToken);

    /// <summary>Why the engine cannot swap <paramref name="table"/> back (checked by <c>revert</c> before anything moves), or null when it can.</summary>
    Task<string?> RevertRefusalAsync(RevertTable table, CancellationToken cancellationToken);

    /// <summary>Bytes of WAL the reverse stream's slot retains (PostgreSQL), held against <c>--max-slot-wal</c> while the window is kept in sync; null where there is no slot.</summary>
    Task<long?> RetainedBytesAsync(string? slot, CancellationToken cancellationToken);

    /// <summary>Drops the reverse stream's resources (PostgreSQL: slot and publication); nothing on MySQL.</summary>
    Task DropRevertStreamAsync(string? slot, CancellationToken cancellationToken);
}

/// <summary>Where the reverse stream starts: the position (null: the forward stream's at the swap) and the PostgreSQL slot.</summary>
internal sealed record RevertStart(string? Position, string? Slot);

/// <summary>A column of the old table and the new-table column it is filled from on revert.</summary>
internal sealed record RevertColumn(string Old, string New);

/// <summary>
/// What a revert window stores per table (control table, JSON), so that any process can revert:
/// the names, the reverse mapping, the key in the new table, the columns a revert drops, the
/// PostgreSQL slot, and when the window ends.
/// </summary>
/// <param name="Table">The live table (unqualified).</param>
/// <param name="Schema">Its schema (PostgreSQL), null on MySQL.</param>
/// <param name="Old">The table that holds the old definition and rows.</param>
/// <param name="Changelog">The marker table the reverse stream reads back.</param>
/// <param name="Columns">Old-table columns filled from the new table.</param>
/// <param name="Key">The copy key, as the new table names its columns.</param>
/// <param name="Dropped">Columns only the new table has: a revert drops them with their values.</param>
/// <param name="Slot">PostgreSQL: the reverse replication slot (and publication).</param>
internal sealed record RevertTable(string Table, string? Schema, string Old, string Changelog, IReadOnlyList<RevertColumn> Columns, IReadOnlyList<string> Key, IReadOnlyList<string> Dropped, string? Slot)
{
    /// <summary>When the window ends (UTC).</summary>
    public DateTimeOffset Until { get; init; }

    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    public static RevertTable FromJson(string json) =>
        JsonSerializer.Deserialize<RevertTable>(json, Options) ?? throw new FormatException($"'{json}' is not a stored revert window");
}
