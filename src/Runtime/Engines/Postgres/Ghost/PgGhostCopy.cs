using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using NpgsqlTypes;
using SchemaBuild.Core.Model;

using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Engines.Postgres.Ghost;

/// <summary>
/// Rebuilds the tables of one deployment online on PostgreSQL: shadows from the target
/// definitions, a publication and a pgoutput slot, a chunked copy with the stream applied first
/// between chunks, catch-up to a marker, ANALYZE, a ranged checksum with repair, then one cutover
/// transaction for all tables. Everything it creates is named from the deployment id: a deploy
/// after a kill resumes from the slot's confirmed position and the copy watermark, and
/// <see cref="CleanupAsync"/> removes exactly those objects. A failure cleans up too.
/// </summary>
internal sealed class PgGhostCopy
{
    private readonly string connectionString;
    private readonly PgGhostNames names;
    private readonly IReadOnlyList<(QualifiedName Original, Table Target)> targets;
    private readonly PgGhostOptions options;
    private readonly PgGhostLog log;
    private readonly Stopwatch sinceGuard = new();
    private List<PgGhostTable> tables = new();
    private PgChangeApplier? applier;
    private PgOutputChangeStream? stream;
    private long applied;

    public PgGhostCopy(string connectionString, string deploymentId, IReadOnlyList<(QualifiedName Original, Table Target)> targets, PgGhostOptions? options = null)
    {
        this.connectionString = connectionString;
        this.targets = targets;
        this.options = options ?? PgGhostOptions.Default;
        names = PgGhostNames.For(deploymentId, targets[0].Original.Schema ?? "public");
        log = new PgGhostLog(names.Changelog);
    }

    public PgGhostNames Names => names;

    /// <summary>Changes applied to the shadows so far (this process).</summary>
    public long Applied => applied;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var copier = await PgSql.OpenAsync(connectionString, cancellationToken).ConfigureAwait(false);
        await using var _ = copier.Connection.ConfigureAwait(false);
        try
        {
            await PrepareAsync(copier, cancellationToken).ConfigureAwait(false);
            stream = new PgOutputChangeStream(connectionString, names.Slot, names.Publication);
            await stream.StartWhenFreeAsync(
                async ct => await copier.ScalarAsync("SELECT active FROM pg_replication_slots WHERE slot_name = $1", new object?[] { names.Slot }, ct).ConfigureAwait(false) is true,
                cancellationToken).ConfigureAwait(false);
            await CopyAsync(copier, cancellationToken).ConfigureAwait(false);
            await CatchUpAsync(copier, copier, cancellationToken).ConfigureAwait(false);
            await Hook("CaughtUp", cancellationToken).ConfigureAwait(false);
            foreach (var table in tables)
            {
                await copier.ExecuteAsync("ANALYZE " + copier.Quote(table.Shadow), null, cancellationToken).ConfigureAwait(false);
            }

            await VerifyAsync(copier, cancellationToken).ConfigureAwait(false);
            await CutoverAsync(copier, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Failure (not an interruption): nothing may keep WAL or a shadow around. The next deploy starts the copy over.
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
                stream = null;
            }

            await CleanupAsync(copier, names, targets.Select(t => t.Original), CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        finally
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }

        await CleanupAsync(copier, names, Array.Empty<QualifiedName>(), CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Drops the slot, the publication, the changelog and the shadows of a deployment (those that exist).</summary>
    public static async Task CleanupAsync(PgSql sql, PgGhostNames names, IEnumerable<QualifiedName> originals, CancellationToken cancellationToken)
    {
        // A slot still marked active belongs to a walsender that is going away with its connection: wait for it briefly.
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var active = await sql.ScalarAsync("SELECT active FROM pg_replication_slots WHERE slot_name = $1", new object?[] { names.Slot }, cancellationToken).ConfigureAwait(false);
            if (active is null)
            {
                break;
            }

            if (active is false)
            {
                await sql.ExecuteAsync("SELECT pg_drop_replication_slot($1)", new object?[] { names.Slot }, cancellationToken).ConfigureAwait(false);
                break;
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        await sql.ExecuteAsync("DROP PUBLICATION IF EXISTS " + sql.Quote(names.Publication), null, cancellationToken).ConfigureAwait(false);
        await sql.ExecuteAsync("DROP TABLE IF EXISTS " + sql.Quote(names.Changelog), null, cancellationToken).ConfigureAwait(false);
        foreach (var original in originals)
        {
            await sql.ExecuteAsync("DROP TABLE IF EXISTS " + sql.Quote(names.Shadow(original)), null, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PrepareAsync(PgSql sql, CancellationToken cancellationToken)
    {
        var shadows = targets.Select(t => (t.Original, Definition: PgGhostTable.ShadowDefinition(t.Target, names.Shadow(t.Original), names.Token))).ToList();
        var resumable = await sql.ScalarAsync("SELECT to_regclass($1) IS NOT NULL AND EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = $2)",
            new object?[] { sql.Quote(names.Changelog), names.Slot }, cancellationToken).ConfigureAwait(false) is true;
        if (resumable)
        {
            options.Progress?.Invoke($"resuming the ghost copy from slot {names.Slot}");
        }
        else
        {
            // Nothing worth resuming before the slot exists: start clean.
            await CleanupAsync(sql, names, targets.Select(t => t.Original), cancellationToken).ConfigureAwait(false);
            await sql.ExecuteAsync(log.CreateSql(sql), null, cancellationToken).ConfigureAwait(false);
            foreach (var (_, definition) in shadows)
            {
                await sql.ExecuteAsync(sql.Writer.WriteTable(definition.Table), null, cancellationToken).ConfigureAwait(false);
            }

            // The publication exists before the slot, so the slot decodes every change after its start with it.
            await sql.ExecuteAsync(
                "CREATE PUBLICATION " + sql.Quote(names.Publication) + " FOR TABLE " + string.Join(", ", targets.Select(t => sql.Quote(t.Original)).Append(sql.Quote(names.Changelog))),
                null, cancellationToken).ConfigureAwait(false);
            await sql.ExecuteAsync("SELECT pg_create_logical_replication_slot($1, 'pgoutput')", new object?[] { names.Slot }, cancellationToken).ConfigureAwait(false);
        }

        tables = new List<PgGhostTable>();
        foreach (var (original, definition) in shadows)
        {
            var target = targets.First(t => t.Original == original).Target;
            tables.Add(await PgGhostTable.LoadAsync(sql, original, definition.Table.Name, target, definition.IndexNames, cancellationToken).ConfigureAwait(false));
        }

        applier = new PgChangeApplier(tables);
    }

    private async Task CopyAsync(PgSql sql, CancellationToken cancellationToken)
    {
        var copier = new PgRowCopier(log, options.ChunkTime);
        var checkpoints = await log.CheckpointsAsync(sql, cancellationToken).ConfigureAwait(false);
        await sql.ExecuteAsync("SET synchronous_commit = off", null, cancellationToken).ConfigureAwait(false);
        foreach (var table in tables)
        {
            var (after, done, rows) = checkpoints.TryGetValue(table.Original.ToString(), out var c) ? c : (null, false, 0L);
            while (!done)
            {
                // The stream goes first: the copy never runs ahead of changes already committed.
                await ApplyAvailableAsync(sql, cancellationToken).ConfigureAwait(false);
                await GuardAsync(sql, cancellationToken).ConfigureAwait(false);
                long copied;
                (after, copied, done) = await copier.CopyChunkAsync(sql, table, after, cancellationToken).ConfigureAwait(false);
                rows += copied;
                options.Progress?.Invoke($"{table.Original}: {rows} rows copied, {applied} changes applied");
                await Hook("AfterChunk", cancellationToken).ConfigureAwait(false);
            }
        }

        await sql.ExecuteAsync("SET synchronous_commit = on", null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies what the stream has now, in one transaction, then confirms it.</summary>
    private async Task ApplyAvailableAsync(PgSql sql, CancellationToken cancellationToken)
    {
        await DrainAsync(sql, null, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a marker on <paramref name="marker"/> and applies on <paramref name="on"/> until the stream brings it back.</summary>
    private async Task<NpgsqlLogSequenceNumber?> CatchUpAsync(PgSql marker, PgSql on, CancellationToken cancellationToken)
    {
        var token = await log.MarkAsync(marker, cancellationToken).ConfigureAwait(false);
        return await DrainAsync(on, token, options.CatchUpTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Applies changes in batches on <paramref name="on"/> until the stream is idle (no marker) or
    /// the marker's transaction is read. Outside a transaction each batch commits and is confirmed;
    /// inside one (cutover) confirming waits for the caller's commit, and the position is returned.
    /// </summary>
    private async Task<NpgsqlLogSequenceNumber?> DrainAsync(PgSql on, string? marker, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var seen = marker is null;
        NpgsqlLogSequenceNumber? position = null;
        while (true)
        {
            var batch = new List<PgChange>();
            NpgsqlLogSequenceNumber? commit = null;
            var markerCommitted = false;
            while (true)
            {
                var wait = marker is not null && !seen && batch.Count == 0 ? TimeSpan.FromMilliseconds(200) : TimeSpan.Zero;
                var change = await stream!.NextAsync(wait, cancellationToken).ConfigureAwait(false);
                if (change is null)
                {
                    break;
                }

                if (change.Kind == PgChangeKind.Commit)
                {
                    commit = change.Lsn;
                    if (seen && marker is not null)
                    {
                        markerCommitted = true;
                        break;
                    }

                    if (batch.Count >= 5_000)
                    {
                        break;
                    }

                    continue;
                }

                if (marker is not null && log.MarkerOf(change) == marker)
                {
                    seen = true;
                    continue;
                }

                batch.Add(change);
            }

            if (batch.Count > 0)
            {
                if (on.Transaction is null)
                {
                    await on.InTransactionAsync(() => applier!.ApplyAsync(on, batch, cancellationToken), cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await applier!.ApplyAsync(on, batch, cancellationToken).ConfigureAwait(false);
                }

                applied += batch.Count;
            }

            if (commit is { } lsn)
            {
                position = lsn;
                if (on.Transaction is null)
                {
                    await stream!.ConfirmAsync(lsn, cancellationToken).ConfigureAwait(false);
                }
            }

            if (marker is null ? batch.Count == 0 && commit is null : markerCommitted)
            {
                return position;
            }

            if (marker is not null && deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"the change stream of slot {names.Slot} did not bring back its marker within {timeout.TotalSeconds:0} s; the applier cannot keep up with the writes. Deploy again at a quieter time.");
            }
        }
    }

    /// <summary>Stops before the slot retains more WAL than allowed, and waits while a replica lags.</summary>
    private async Task GuardAsync(PgSql sql, CancellationToken cancellationToken)
    {
        if (sinceGuard.IsRunning && sinceGuard.Elapsed < TimeSpan.FromSeconds(2))
        {
            return;
        }

        sinceGuard.Restart();
        while (true)
        {
            var row = (await sql.QueryAsync(
                "SELECT (SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint FROM pg_replication_slots WHERE slot_name = $1), "
                + "(SELECT coalesce(max(extract(epoch FROM replay_lag)), 0)::float8 FROM pg_stat_replication)",
                new object?[] { names.Slot }, cancellationToken).ConfigureAwait(false))[0];
            var retained = row[0] as long? ?? 0;
            if (retained > options.MaxSlotWalBytes)
            {
                throw new InvalidOperationException(
                    $"slot {names.Slot} retains {retained / (1024 * 1024)} MB of WAL, more than --max-slot-wal ({options.MaxSlotWalBytes / (1024 * 1024)} MB); the copy stopped and removed its slot so the primary's disk cannot fill. Deploy again when the write load is lower, or raise --max-slot-wal.");
            }

            var lag = (double)row[1]!;
            if (lag <= options.MaxReplicaLag.TotalSeconds)
            {
                return;
            }

            options.Progress?.Invoke($"throttled: replica replay lag {lag:0.0} s > {options.MaxReplicaLag.TotalSeconds:0.#} s");
            await ApplyAvailableAsync(sql, cancellationToken).ConfigureAwait(false);
            await Task.Delay(500, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Checksum of every key range; a mismatching range is compared again after a catch-up, then
    /// under a SHARE lock on the original (writers wait, the stream is drained, so both sides are at
    /// the same point) where it is copied again if it still differs. A range that still differs stops the deploy.
    /// </summary>
    private async Task VerifyAsync(PgSql sql, CancellationToken cancellationToken)
    {
        foreach (var table in tables)
        {
            var mismatched = new List<PgKeyRange>();
            string[]? after = null;
            do
            {
                var range = await PgKeyRange.NextAsync(sql, table, after, PgChecksum.RangeRows, cancellationToken).ConfigureAwait(false);
                if (!await PgChecksum.RangeMatchesAsync(sql, table, range, cancellationToken).ConfigureAwait(false))
                {
                    mismatched.Add(range);
                }

                after = range.UpTo;
                await ApplyAvailableAsync(sql, cancellationToken).ConfigureAwait(false);
            }
            while (after is not null);

            foreach (var range in mismatched)
            {
                await CatchUpAsync(sql, sql, cancellationToken).ConfigureAwait(false);
                if (await PgChecksum.RangeMatchesAsync(sql, table, range, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                await RepairAsync(sql, table, range, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task RepairAsync(PgSql marker, PgGhostTable table, PgKeyRange range, CancellationToken cancellationToken)
    {
        var locked = await PgSql.OpenAsync(connectionString, cancellationToken).ConfigureAwait(false);
        await using var _ = locked.Connection.ConfigureAwait(false);
        await locked.InTransactionAsync(
            async () =>
            {
                await locked.ExecuteAsync("SELECT set_config('lock_timeout', $1, true)", new object?[] { Milliseconds(options.CutoverLockWait) }, cancellationToken).ConfigureAwait(false);
                await locked.ExecuteAsync("LOCK TABLE " + locked.Quote(table.Original) + " IN SHARE MODE", null, cancellationToken).ConfigureAwait(false);
                await CatchUpAsync(marker, marker, cancellationToken).ConfigureAwait(false);
                if (await PgChecksum.RangeMatchesAsync(locked, table, range, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                var parameters = new List<object?>();
                await locked.ExecuteAsync("DELETE FROM " + locked.Quote(table.Shadow) + " WHERE " + range.Where(locked, table, onShadow: true, parameters), parameters, cancellationToken).ConfigureAwait(false);
                await PgRowCopier.InsertAsync(locked, table, range, cancellationToken).ConfigureAwait(false);
                options.Progress?.Invoke($"{table.Original}: checksum mismatch in a key range; copied it again");
                if (!await PgChecksum.RangeMatchesAsync(locked, table, range, cancellationToken).ConfigureAwait(false))
                {
                    throw new InvalidOperationException(
                        $"{table.Original}: the shadow still differs from the original in key range ({Text(range.After)}, {Text(range.UpTo)}] after copying it again; cutover refused. This is a bug: report it with the table definition.");
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static string Text(string[]? key) => key is null ? "open" : "(" + string.Join(", ", key) + ")";

    /// <summary>
    /// One transaction for all tables under lock_timeout: lock the originals, drain the stream to
    /// a marker written after the locks, swap. A lock timeout rolls back (the stream restarts from
    /// its confirmed position, since the drained changes rolled back with it) and retries with backoff.
    /// </summary>
    private async Task CutoverAsync(PgSql marker, CancellationToken cancellationToken)
    {
        var cutover = new PgCutover(names.Publication);
        for (var attempt = 1; ; attempt++)
        {
            await CatchUpAsync(marker, marker, cancellationToken).ConfigureAwait(false);
            var sql = await PgSql.OpenAsync(connectionString, cancellationToken).ConfigureAwait(false);
            await using var _ = sql.Connection.ConfigureAwait(false);
            NpgsqlLogSequenceNumber? position = null;
            IReadOnlyList<string> after = Array.Empty<string>();
            var watch = Stopwatch.StartNew();
            try
            {
                await sql.InTransactionAsync(
                    async () =>
                    {
                        await sql.ExecuteAsync("SELECT set_config('lock_timeout', $1, true)", new object?[] { Milliseconds(options.CutoverLockWait) }, cancellationToken).ConfigureAwait(false);
                        await sql.ExecuteAsync("LOCK TABLE " + string.Join(", ", tables.Select(t => sql.Quote(t.Original))) + " IN ACCESS EXCLUSIVE MODE", null, cancellationToken).ConfigureAwait(false);
                        await Hook("InCutoverLock", cancellationToken).ConfigureAwait(false);
                        position = await CatchUpAsync(marker, sql, cancellationToken).ConfigureAwait(false);
                        after = await cutover.SwapAsync(sql, tables, cancellationToken).ConfigureAwait(false);
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState is "55P03" or "40P01" && attempt < options.CutoverAttempts)
            {
                options.Progress?.Invoke($"cutover attempt {attempt} gave up waiting for the lock ({ex.MessageText}); the original keeps serving; retrying");
                await stream!.RestartAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * (1 << Math.Min(attempt, 5))), cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (PostgresException ex) when (ex.SqlState == "2BP01")
            {
                throw new GhostCopyRefusedException(
                    $"the cutover cannot replace {string.Join(", ", tables.Select(t => t.Original))}: {ex.MessageText} ({ex.Detail}). Drop that dependent before this deployment and create it again after; nothing was changed.");
            }

            options.Progress?.Invoke($"cutover done in {watch.ElapsedMilliseconds} ms (attempt {attempt})");
            if (position is { } lsn)
            {
                await stream!.ConfirmAsync(lsn, cancellationToken).ConfigureAwait(false);
            }

            foreach (var statement in after)
            {
                await sql.ExecuteAsync(statement, null, cancellationToken).ConfigureAwait(false);
            }

            return;
        }
    }

    private Task Hook(string point, CancellationToken cancellationToken) => options.Hook?.Invoke(point, cancellationToken) ?? Task.CompletedTask;

    private static string Milliseconds(TimeSpan value) => Math.Max(1, (long)value.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture) + "ms";
}
