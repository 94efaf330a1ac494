using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Engines.Postgres.Online;

/// <summary>
/// The revert window on PostgreSQL. Before the swap a second slot is created with a publication on
/// the shadows and changelogs: the shadow keeps its OID when the swap renames it, so that slot
/// decodes every write made to the new table after the swap (changes to the shadow before it carry
/// the shadow's name and are ignored), and nothing committed after the swap can be missed. The
/// forward slot is dropped after the swap. The revert's swap is <see cref="PgSwap"/> on the reversed
/// table: dependent views, child foreign keys, grants, sequences and the index names go back as at
/// the cutover; the new table is parked as <c>_t_gho</c> and dropped.
/// </summary>
internal sealed partial class PostgresOnlineEngine : IRevertEngine
{
    public async Task<RevertStart> BeforeSwapAsync(IReadOnlyList<GhostCopyTable> tables, CancellationToken cancellationToken)
    {
        var members = tables.Select(Prepared).ToList();
        var slot = PgGhostNames.Prefix + "r" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(session.DatabaseName + "\n" + string.Join("\n", members.Select(m => m.Original.ToString()).OrderBy(n => n, StringComparer.Ordinal)))), 0, 6).ToLowerInvariant();
        await PgLogicalChangeStream.DropSlotAsync(control, slot, cancellationToken).ConfigureAwait(false);
        await control.ExecuteAsync(
            "CREATE PUBLICATION " + control.Quote(slot) + " FOR TABLE " + string.Join(", ", members.SelectMany(t => new[] { control.Quote(t.Shadow), control.Quote(t.Changelog) })),
            null, cancellationToken).ConfigureAwait(false);
        var lsn = await control.ScalarAsync("SELECT lsn::text FROM pg_create_logical_replication_slot($1, 'pgoutput')", new object?[] { slot }, cancellationToken).ConfigureAwait(false);
        return new RevertStart((string)lsn!, slot);
    }

    public async Task AfterSwapAsync(CancellationToken cancellationToken)
    {
        if (Stream is { } forward)
        {
            await forward.DisposeAsync().ConfigureAwait(false);
            await PgLogicalChangeStream.DropSlotAsync(control, forward.Slot, cancellationToken).ConfigureAwait(false);
            Stream = null;
        }
    }

    public async Task<RevertTable> ReverseAsync(GhostCopyTable forward, RevertStart start, CancellationToken cancellationToken)
    {
        var table = Prepared(forward);
        var live = await PgGhostTable.ColumnsAsync(control, table.Original, cancellationToken).ConfigureAwait(false);
        var dropped = live.Where(c => table.Columns.All(m => m.Name != c.Name)).Select(c => c.Name).ToList();
        return new RevertTable(
            table.Original.Name, table.Original.Schema, table.Old.Name, table.Changelog.Name, table.Columns.Select(c => new RevertColumn(c.SourceName, c.Name)).ToList(),
            table.Key.Select(k => k.Name).ToList(), dropped, start.Slot);
    }

    public async Task<GhostCopyTable> PrepareRevertAsync(RevertTable table, CancellationToken cancellationToken)
    {
        var live = new QualifiedName(table.Schema, table.Table);
        var old = live with { Name = table.Old };
        if (!await ExistsAsync(old, cancellationToken).ConfigureAwait(false))
        {
            throw new GhostCopyRefusedException($"the old table of {live} ({old}) is gone, so it cannot be reverted. Run `dotnet schema complete` to end the window.");
        }

        var liveColumns = await PgGhostTable.ColumnsAsync(control, live, cancellationToken).ConfigureAwait(false);
        var oldColumns = await PgGhostTable.ColumnsAsync(control, old, cancellationToken).ConfigureAwait(false);
        string TypeOf(List<(string Name, string Type, bool Generated)> columns, string name, QualifiedName of) =>
            columns.FirstOrDefault(c => c.Name == name).Type ?? throw new GhostCopyRefusedException($"{of} has no column {name} any more (changed since the cutover?); it cannot be reverted. Run `dotnet schema complete` to end the window.");
        var columns = table.Columns.Select(c => new PgGhostColumn(c.Old, c.New, TypeOf(liveColumns, c.New, live), TypeOf(oldColumns, c.Old, old))).ToList();
        var key = table.Key.Select(k => columns.First(c => c.SourceName == k)).ToList();

        // The cutover renamed the old table's indexes to <old>_<n>_<name>: the revert gives them their names back.
        var kept = new Regex("^" + Regex.Escape(table.Old) + "_[0-9]+_(.+)$", RegexOptions.CultureInvariant);
        var indexNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in await control.QueryAsync(
            "SELECT ic.relname::text FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = to_regclass($1)", new object?[] { control.Quote(old) }, cancellationToken).ConfigureAwait(false))
        {
            var name = (string)row[0]!;
            if (kept.Match(name) is { Success: true } match)
            {
                indexNames[name] = match.Groups[1].Value;
            }
        }

        var parked = Names(live).Shadow;
        prepared[table.Table] = new PgGhostTable(live, old, columns, key, indexNames).With(live with { Name = table.Changelog }, parked);
        return new GhostCopyTable(table.Table, table.Old, table.Changelog, parked.Name, table.Key, columns.Select(c => new ColumnMapping(c.Name, c.SourceName)).ToList());
    }

    public IChangeStream CreateRevertStream(IReadOnlyList<GhostCopyTable> reversed, string? slot)
    {
        Stream = new PgLogicalChangeStream(control, connectionString, slot ?? throw new InvalidOperationException("a PostgreSQL revert window has a slot"), reversed.Select(Prepared).ToList());
        return Stream;
    }

    public async Task DetachRevertStreamAsync(CancellationToken cancellationToken)
    {
        if (Stream is { } reverse)
        {
            await reverse.DisposeAsync().ConfigureAwait(false);
            Stream = null;
        }
    }

    /// <summary>The revert's cutover carries views, foreign keys, grants and sequences back like the forward one: nothing refused.</summary>
    public Task<string?> RevertRefusalAsync(RevertTable table, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public async Task<long?> RetainedBytesAsync(string? slot, CancellationToken cancellationToken)
    {
        if (slot is null)
        {
            return null;
        }

        var rows = await control.QueryAsync(
            "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint FROM pg_replication_slots WHERE slot_name = $1", new object?[] { slot }, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0][0] as long?;
    }

    public async Task DropRevertStreamAsync(string? slot, CancellationToken cancellationToken)
    {
        if (slot is not null)
        {
            await DetachRevertStreamAsync(cancellationToken).ConfigureAwait(false);
            await PgLogicalChangeStream.DropSlotAsync(control, slot, cancellationToken).ConfigureAwait(false);
        }
    }
}
