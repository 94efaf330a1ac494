using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NpgsqlTypes;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Engines.Postgres.Online;

/// <summary>
/// The ghost copy's <see cref="IChangeStream"/> on PostgreSQL: a publication of the originals and
/// their changelogs, a pgoutput slot, read by <see cref="PgOutputChangeStream"/>. Positions are
/// LSNs. The slot's confirmed position is the only resume point: a batch is confirmed when the
/// next one is read (the core applies and commits a batch before reading on), never while the
/// cutover holds the stream (its drain commits with the swap, or rolls back and the stream
/// rewinds to what is confirmed). A restart always reads from the confirmed position, whatever
/// position it is asked for, so nothing that was not durably applied is skipped.
/// </summary>
internal sealed class PgLogicalChangeStream : IChangeStream
{
    private readonly PgSql sql;
    private readonly string connectionString;
    private readonly string slot;
    private readonly Dictionary<QualifiedName, PgGhostTable> originals;
    private readonly Dictionary<QualifiedName, PgGhostTable> changelogs;
    private PgOutputChangeStream? reader;
    private NpgsqlLogSequenceNumber? delivered;
    private static readonly TimeSpan VisibilityLimit = TimeSpan.FromSeconds(60);

    /// <summary>How often an idle stream checks whether the server's WAL moved on without it (see <see cref="HeartbeatWhenBehindAsync"/>).</summary>
    internal static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(2);

    /// <summary>How long creating the slot may wait for the transactions running on the server to end.</summary>
    private static readonly TimeSpan SlotCreationWait = TimeSpan.FromMinutes(5);

    /// <summary>WAL the slot may fall behind an idle stream before a heartbeat moves it: an idle server writes none.</summary>
    internal const long HeartbeatWalBytes = 1L << 20;

    private DateTime lastEvent = DateTime.UtcNow;
    private DateTime lastHeartbeatCheck = DateTime.UtcNow;
    private bool held;

    /// <summary>The transaction being read (a batch may end inside one; the next goes on with it).</summary>
    private uint xid;

    public PgLogicalChangeStream(PgSql sql, string connectionString, string slot, IEnumerable<PgGhostTable> tables)
    {
        this.sql = sql;
        this.connectionString = connectionString;
        this.slot = slot;
        var list = tables.ToList();
        originals = list.ToDictionary(t => t.Original);
        changelogs = list.ToDictionary(t => t.Changelog);
    }

    public string Slot => slot;

    public TimeSpan Lag => reader is null ? TimeSpan.Zero : DateTime.UtcNow - lastEvent;

    public int Backlog { get; private set; }

    /// <summary>
    /// Creates the publication and the slot (dropping those an abandoned attempt left), and returns
    /// the slot's start: every change committed after it is decoded.
    /// </summary>
    public async Task<string> CurrentPositionAsync(CancellationToken cancellationToken)
    {
        await DropSlotAsync(sql, slot, cancellationToken).ConfigureAwait(false);
        await sql.ExecuteAsync(
            "CREATE PUBLICATION " + sql.Quote(slot) + " FOR TABLE " + string.Join(", ", originals.Values.SelectMany(t => new[] { sql.Quote(t.Original), sql.Quote(t.Changelog) })),
            null, cancellationToken).ConfigureAwait(false);

        // The publication exists before the slot, so every change after the slot's start is decoded with it.
        return await CreateSlotAsync(sql, slot, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates a pgoutput slot and returns its start. Creating it waits for every transaction running on the server (any
    /// database) to end: a wait that blocks no one, so it is bounded by <see cref="SlotCreationWait"/> rather than the short
    /// lock_timeout that guards DDL.
    /// </summary>
    public static async Task<string> CreateSlotAsync(PgSql sql, string slot, CancellationToken cancellationToken)
    {
        var previous = (string)(await sql.ScalarAsync("SELECT current_setting('lock_timeout')", null, cancellationToken).ConfigureAwait(false))!;
        await sql.ExecuteAsync("SELECT set_config('lock_timeout', $1, false)", new object?[] { (long)SlotCreationWait.TotalMilliseconds + "ms" }, cancellationToken).ConfigureAwait(false);
        try
        {
            var lsn = await sql.ScalarAsync("SELECT lsn::text FROM pg_create_logical_replication_slot($1, 'pgoutput')", new object?[] { slot }, cancellationToken).ConfigureAwait(false);
            return (string)lsn!;
        }
        finally
        {
            await sql.ExecuteAsync("SELECT set_config('lock_timeout', $1, false)", new object?[] { previous }, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public async Task StartAsync(string position, CancellationToken cancellationToken)
    {
        var exists = await sql.ScalarAsync("SELECT count(*) FROM pg_replication_slots WHERE slot_name = $1", new object?[] { slot }, cancellationToken).ConfigureAwait(false);
        if (exists is not 1L)
        {
            throw new StreamPositionLostException($"the replication slot {slot} of this ghost copy is gone (dropped after a failure, or by hand), so the changes since {position} cannot be read");
        }

        reader = new PgOutputChangeStream(connectionString, slot, slot);
        await reader.StartWhenFreeAsync(
            async ct => await sql.ScalarAsync("SELECT active FROM pg_replication_slots WHERE slot_name = $1", new object?[] { slot }, ct).ConfigureAwait(false) is true,
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<ChangeBatch> ReadAsync(int maxKeys, TimeSpan wait, CancellationToken cancellationToken)
    {
        var stream = reader ?? throw new InvalidOperationException("StartAsync first");
        if (!held && delivered is { } done)
        {
            // The core applied (and committed) the previous batch before asking for this one.
            await stream.ConfirmAsync(done, cancellationToken).ConfigureAwait(false);
        }

        var keys = new Dictionary<string, HashSet<RowKey>>(StringComparer.Ordinal);
        var markers = new List<Marker>();
        var events = 0;
        var count = 0;
        var written = new HashSet<uint>();
        NpgsqlLogSequenceNumber? position = null;
        while (true)
        {
            var change = await stream.NextAsync(events == 0 ? wait : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            if (change is null)
            {
                break;
            }

            events++;
            lastEvent = DateTime.UtcNow;
            if (change.Kind == PgChangeKind.Begin)
            {
                xid = change.Xid;
                continue;
            }

            if (change.Kind == PgChangeKind.Commit)
            {
                position = change.Lsn;
                if (count >= maxKeys)
                {
                    break;
                }

                continue;
            }

            if (change.Table is { } name && changelogs.TryGetValue(name, out var changelog))
            {
                if (change.Kind == PgChangeKind.Insert && change.Row!.TryGetValue("id", out var id) && id.Text is { } text)
                {
                    markers.Add(new Marker(changelog.Changelog.Name, long.Parse(text, CultureInfo.InvariantCulture)));
                }

                continue;
            }

            if (change.Table is null || !originals.TryGetValue(change.Table, out var table))
            {
                continue;
            }

            if (change.Kind == PgChangeKind.Truncate)
            {
                throw new InvalidOperationException($"{table.Original} was truncated during its ghost copy; cancel the deployment and deploy again to copy it from the start.");
            }

            written.Add(xid);
            var set = keys.TryGetValue(table.Original.Name, out var existing) ? existing : keys[table.Original.Name] = new HashSet<RowKey>();
            foreach (var row in new[] { change.OldKey, change.Row })
            {
                if (row is not null && table.Key.All(k => row.TryGetValue(k.SourceName, out var v) && !v.Unchanged && v.Text is not null))
                {
                    if (set.Add(new RowKey(table.Key.Select(k => (object?)row[k.SourceName].Text).ToList())))
                    {
                        count++;
                    }
                }
            }
        }

        if (position is not null)
        {
            delivered = position;
        }
        else if (events == 0 && !held)
        {
            await HeartbeatWhenBehindAsync(cancellationToken).ConfigureAwait(false);
        }

        // The applier reads the original's rows for these keys next: their transactions must be visible first.
        await PgCommitVisibility.WaitAsync(sql, written, VisibilityLimit, cancellationToken).ConfigureAwait(false);
        Backlog = 0;
        return new ChangeBatch(
            keys.ToDictionary(k => k.Key, k => (IReadOnlyCollection<RowKey>)k.Value, StringComparer.Ordinal),
            markers, delivered?.ToString(), events);
    }

    /// <summary>
    /// The slot's confirmed position moves only with a commit the stream delivers. When the copied
    /// tables are idle on a busy server none comes (pgoutput skips other tables' transactions), and the
    /// slot would retain all WAL since the last one, growing toward <c>--max-slot-wal</c>. So an idle
    /// stream that sees the server's WAL more than <see cref="HeartbeatWalBytes"/> past what it confirmed
    /// writes a heartbeat row to a changelog: its commit comes back through the stream like any other,
    /// and once everything before it is applied (the next read) it is confirmed, at about the server's
    /// current position. Confirming a position taken from the server directly (keepalive, sent_lsn)
    /// could pass a commit still on its way to the applier, and a crash then would skip it.
    /// </summary>
    private async Task HeartbeatWhenBehindAsync(CancellationToken cancellationToken)
    {
        if (reader is null || DateTime.UtcNow - lastHeartbeatCheck < HeartbeatInterval)
        {
            return;
        }

        lastHeartbeatCheck = DateTime.UtcNow;
        var confirmed = reader.Confirmed.ToString();
        var behind = await sql.ScalarAsync("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::bigint", new object?[] { confirmed }, cancellationToken).ConfigureAwait(false);
        if (behind is long bytes && bytes > HeartbeatWalBytes)
        {
            await sql.ExecuteAsync("INSERT INTO " + sql.Quote(changelogs.Keys.First()) + " (note) VALUES ('heartbeat')", null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Markers are written on the stream's own connection and committed at once, whatever the caller's writer: a row written inside the cutover's transaction would only reach the stream after it commits.
    /// The marker's commit flushes the WAL (<c>synchronous_commit</c> on for its transaction): the walsender decodes only flushed WAL, and an
    /// asynchronous commit waits for the WAL writer (up to a few <c>wal_writer_delay</c>s, 200 ms each by default), which every drain, the cutover's
    /// under the lock included, waited for.
    /// </summary>
    public async Task<long> WriteMarkerAsync(GhostCopyTable table, object? writer, CancellationToken cancellationToken)
    {
        var changelog = originals.Values.First(t => t.Original.Name == table.Original).Changelog;
        return (long)(await sql.ScalarAsync(
            "WITH marker AS (INSERT INTO " + sql.Quote(changelog) + " (note) VALUES ('marker') RETURNING id) SELECT marker.id FROM marker, set_config('synchronous_commit', 'on', true)",
            null, cancellationToken).ConfigureAwait(false))!;
    }

    public int ComparePositions(string a, string b) => NpgsqlLogSequenceNumber.Parse(a).CompareTo(NpgsqlLogSequenceNumber.Parse(b));

    /// <summary>The cutover's drain starts: nothing read from here on is confirmed until <see cref="ReleaseAsync"/>.</summary>
    public void Hold() => held = true;

    /// <summary>
    /// The cutover ended: committed (everything read is durable: confirm it) or rolled back (the
    /// changes its drain applied are gone: read again from the confirmed position).
    /// </summary>
    public async Task ReleaseAsync(bool committed, CancellationToken cancellationToken)
    {
        held = false;
        if (reader is null)
        {
            return;
        }

        if (committed)
        {
            if (delivered is { } done)
            {
                await reader.ConfirmAsync(done, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            delivered = null;
            await reader.RestartAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (reader is not null)
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            reader = null;
        }
    }

    /// <summary>Drops a slot (waiting briefly while a dying walsender still holds it) and the publication of the same name.</summary>
    public static async Task DropSlotAsync(PgSql sql, string slot, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var active = await sql.ScalarAsync("SELECT active FROM pg_replication_slots WHERE slot_name = $1", new object?[] { slot }, cancellationToken).ConfigureAwait(false);
            if (active is null)
            {
                break;
            }

            if (active is false)
            {
                try
                {
                    await sql.ExecuteAsync("SELECT pg_drop_replication_slot($1)", new object?[] { slot }, cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (Npgsql.PostgresException ex) when (ex.SqlState == Npgsql.PostgresErrorCodes.ObjectInUse)
                {
                    // A reader attached between the check and the drop (the deploy holding the window may still be reading it): wait again.
                }
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        await sql.ExecuteAsync("DROP PUBLICATION IF EXISTS " + sql.Quote(slot), null, cancellationToken).ConfigureAwait(false);
    }
}
