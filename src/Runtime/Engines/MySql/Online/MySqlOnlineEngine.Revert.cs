using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Engines.MySql.Online;

/// <summary>
/// The revert window on MariaDB/MySQL. The reverse stream is the binlog from the forward stream's
/// position after the drain under the cutover lock (nothing was written to the table between it
/// and the swap), so no extra object is needed before the swap. For the revert's cutover the old
/// table must sort after the live one, like a shadow (see <see cref="Names"/>): it is renamed from
/// <c>_t_old</c> to <c>t__gho</c> when the window is first kept in sync, and the new table is parked
/// as <c>_t_old</c> by the revert's swap (then dropped).
/// </summary>
internal sealed partial class MySqlOnlineEngine : IRevertEngine
{
    public Task<RevertStart> BeforeSwapAsync(IReadOnlyList<GhostCopyTable> tables, CancellationToken cancellationToken) => Task.FromResult(new RevertStart(null, null));

    public Task AfterSwapAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<RevertTable> ReverseAsync(GhostCopyTable forward, RevertStart start, CancellationToken cancellationToken)
    {
        var columns = forward.Columns.Where(c => c.SourceColumn is not null).Select(c => new RevertColumn(c.SourceColumn!, c.ShadowColumn)).ToList();
        var key = forward.KeyColumns.Select(k => forward.Columns.First(c => c.SourceColumn == k).ShadowColumn).ToList();
        var live = await ColumnsAsync(forward.Original, cancellationToken).ConfigureAwait(false);
        var dropped = live.Where(c => columns.All(m => !string.Equals(m.New, c.Name, StringComparison.OrdinalIgnoreCase))).Select(c => c.Name).ToList();
        return new RevertTable(forward.Original, null, forward.Old, forward.Changelog, columns, key, dropped, null);
    }

    public async Task<GhostCopyTable> PrepareRevertAsync(RevertTable table, CancellationToken cancellationToken)
    {
        var names = Names(table.Table);
        var w = session.Writer;
        await DropLeftoverSentryAsync(names.Parked, cancellationToken).ConfigureAwait(false);
        if (table.Old != names.Shadow && await ExistsAsync(table.Old, cancellationToken).ConfigureAwait(false))
        {
            if (await ExistsAsync(names.Shadow, cancellationToken).ConfigureAwait(false))
            {
                throw new GhostCopyRefusedException($"table {names.Shadow} exists; the revert window of {table.Table} needs that name for its old table {table.Old}. Rename or drop it, then run the command again.");
            }

            await session.ExecuteAsync($"RENAME TABLE {w.QuoteIdentifier(table.Old)} TO {w.QuoteIdentifier(names.Shadow)}", null, cancellationToken).ConfigureAwait(false);
        }

        if (!await ExistsAsync(names.Shadow, cancellationToken).ConfigureAwait(false))
        {
            throw new GhostCopyRefusedException($"the old table of {table.Table} ({table.Old}) is gone, so it cannot be reverted. Run `dotnet schema complete` to end the window.");
        }

        var reversed = new GhostCopyTable(table.Table, names.Shadow, table.Changelog, names.Old, table.Key, table.Columns.Select(c => new ColumnMapping(c.Old, c.New)).ToList());
        var live = await ColumnsAsync(table.Table, cancellationToken).ConfigureAwait(false);
        keyOrdinals[table.Table] = table.Key.Select(k => live.FirstOrDefault(c => string.Equals(c.Name, k, StringComparison.OrdinalIgnoreCase))?.Ordinal
            ?? throw new GhostCopyRefusedException($"{table.Table} has no column {k} any more (changed since the cutover?); it cannot be reverted. Run `dotnet schema complete` to end the window.")).ToArray();
        prepared[table.Table] = new MySqlCopyTable(reversed, w, Array.Empty<(string, string, bool)>());
        return reversed;
    }

    public IChangeStream CreateRevertStream(IReadOnlyList<GhostCopyTable> reversed, string? slot) => CreateChangeStream(reversed);

    public Task DetachRevertStreamAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task DropRevertStreamAsync(string? slot, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The cutover moved the foreign keys of and to the table onto the new table; the revert's swap
    /// does not move them back, so it would leave the old table without its keys (or children
    /// pointing at the parked new table). Such a table is refused, with what to do instead.
    /// </summary>
    public async Task<string?> RevertRefusalAsync(RevertTable table, CancellationToken cancellationToken)
    {
        var keys = await MySqlForeignKeys.ReadAsync(session, table.Table, cancellationToken).ConfigureAwait(false);
        if (keys.Count == 0)
        {
            return null;
        }

        return $"{table.Table} has foreign keys ({string.Join(", ", keys.Select(k => $"{k.Table}.{k.Name}").Distinct(StringComparer.Ordinal))}) that the cutover moved to the new table, and a revert on MariaDB/MySQL does not move them back. "
               + "Nothing was changed. End this window with `dotnet schema complete`, then deploy the previous schema (a new deployment that rebuilds the table the other way, keys included)";
    }

    /// <summary>The binlog has no slot: the server's binlog expiry, not this window, bounds what it keeps.</summary>
    public Task<long?> RetainedBytesAsync(string? slot, CancellationToken cancellationToken) => Task.FromResult<long?>(null);
}
