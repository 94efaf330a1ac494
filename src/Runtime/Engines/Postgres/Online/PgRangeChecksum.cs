using System;
using System.Data;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Engines.Postgres.Online;

/// <summary>
/// Compares one key range of the original and the shadow (<see cref="PgChecksum"/>), both in one
/// REPEATABLE READ snapshot without blocking anyone. The whole checksum normally reads one snapshot
/// (<see cref="ISnapshotChecksum"/>), taken while writers to the original were blocked for a moment
/// and the stream was drained: every chunk then compares exactly, with nothing blocked. Outside it
/// each compare takes a snapshot of its own, which under a write load may hold changes the stream has
/// not brought yet; what to do about a difference (drain, compare again, compare locked, copy again)
/// is the group's retry policy, not this class's.
/// </summary>
internal sealed class PgRangeChecksum : IChecksum, ISnapshotChecksum
{
    private readonly PgSql sql;
    private readonly PgSql twin;
    private readonly PgGhostTable table;
    private bool inSnapshot;

    /// <summary>The original's side of the range after <c>After</c>, read ahead in the shared snapshot.</summary>
    private (string[] After, Task<PgSourceSums?> Sums)? ahead;

    /// <summary>Not a session: the applier then uses its own.</summary>
    private static readonly object NoWriter = new();

    /// <param name="sql">Compares (the original's side, in the shared snapshot).</param>
    /// <param name="twin">Takes the lock for the snapshot, then sums the shadow's side in the same snapshot.</param>
    public PgRangeChecksum(PgSql sql, PgSql twin, PgGhostTable table)
    {
        this.sql = sql;
        this.twin = twin;
        this.table = table;
    }

    /// <summary>
    /// The twin session blocks writers to the original (SHARE: readers go on), the stream is drained into
    /// the shadow (the applier commits on its own session), and while writers are still blocked this session
    /// opens a REPEATABLE READ snapshot and exports it: it sees the shadow with every change committed to the
    /// original before it. The lock is released and the twin imports the same snapshot, so the shadow's sums
    /// run beside the original's.
    /// </summary>
    public async Task<bool> BeginSnapshotAsync(TimeSpan lockWait, Func<object, CancellationToken, Task> drain, CancellationToken cancellationToken)
    {
        string? exported = null;
        try
        {
            await twin.InTransactionAsync(
                async ct =>
                {
                    await LockAsync(twin, lockWait, ct).ConfigureAwait(false);
                    await drain(NoWriter, ct).ConfigureAwait(false);
                    exported = await OpenSnapshotAsync(sql, null, ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState is "55P03" or "40P01")
        {
            await CloseAsync(sql).ConfigureAwait(false);
            return false;
        }
        catch
        {
            await CloseAsync(sql).ConfigureAwait(false);
            throw;
        }

        try
        {
            await OpenSnapshotAsync(twin, exported, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await CloseAsync(sql).ConfigureAwait(false);
            await CloseAsync(twin).ConfigureAwait(false);
            throw;
        }

        inSnapshot = true;
        return true;
    }

    public async Task EndSnapshotAsync(CancellationToken cancellationToken)
    {
        if (inSnapshot)
        {
            inSnapshot = false;
            await SettleAheadAsync().ConfigureAwait(false);
            await CloseAsync(sql).ConfigureAwait(false);
            await CloseAsync(twin).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Opens a REPEATABLE READ transaction on <paramref name="on"/> that stays open: in the snapshot
    /// <paramref name="imported"/> (exported by another session), or in its own one, exported (returned).
    /// </summary>
    private static async Task<string?> OpenSnapshotAsync(PgSql on, string? imported, CancellationToken cancellationToken)
    {
        on.Transaction = await on.Connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        if (imported is not null)
        {
            // The first statement of the transaction; SET takes no parameters.
            await on.ExecuteAsync("SET TRANSACTION SNAPSHOT " + on.Writer.QuoteLiteral(imported), null, cancellationToken).ConfigureAwait(false);
            return null;
        }

        return (string?)await on.ScalarAsync("SELECT pg_export_snapshot()", null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends the open snapshot of <paramref name="on"/>, if any (read only: nothing to keep).</summary>
    private static async Task CloseAsync(PgSql on)
    {
        if (on.Transaction is { } open)
        {
            on.Transaction = null;
            try
            {
                await open.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                await open.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public async Task<ChecksumChunk?> CompareNextAsync(RowKey? after, int rows, CancellationToken cancellationToken)
    {
        if (inSnapshot)
        {
            return await CompareNextInSnapshotAsync(PgRangeCopier.Strings(after), Math.Min(rows, PgChecksum.SnapshotRangeRows), cancellationToken).ConfigureAwait(false);
        }

        rows = Math.Min(rows, PgChecksum.RangeRows);
        var range = await PgRangeCopier.RangeAsync(sql, table, after, rows, cancellationToken).ConfigureAwait(false);
        if (range is null)
        {
            return null;
        }

        var matches = await MatchesInSnapshotAsync(range, cancellationToken).ConfigureAwait(false);
        return new ChecksumChunk(new RowKey(range.UpTo!), rows, matches);
    }

    /// <summary>
    /// In the shared snapshot the ranges stay put, so the two sessions work as a pipeline: the original's side of a
    /// range finds its end and sums it in one scan, then the shadow's side of that range and the original's side
    /// of the next one run together.
    /// </summary>
    private async Task<ChecksumChunk?> CompareNextInSnapshotAsync(string[]? after, int rows, CancellationToken cancellationToken)
    {
        var source = ahead is { } next && next.After.SequenceEqual(after ?? Array.Empty<string>())
            ? await next.Sums.ConfigureAwait(false)
            : await PgChecksum.SourceRangeAsync(sql, table, after, rows, cancellationToken).ConfigureAwait(false);
        ahead = null;
        if (source is null)
        {
            return null;
        }

        var shadow = PgChecksum.AggregateAsync(twin, table, new PgKeyRange(after, source.UpTo), onShadow: true, cancellationToken);
        ahead = (source.UpTo, PgChecksum.SourceRangeAsync(sql, table, source.UpTo, rows, cancellationToken));
        return new ChecksumChunk(new RowKey(source.UpTo), source.Rows, await shadow.ConfigureAwait(false) == source.Sums);
    }

    /// <summary>Waits for the original's side read ahead (its session is about to end its snapshot); its result or failure no longer matters.</summary>
    private async Task SettleAheadAsync()
    {
        if (ahead is { } next)
        {
            ahead = null;
            try
            {
                await next.Sums.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or InvalidOperationException)
            {
                // Read ahead for a range nobody asked for.
            }
        }
    }

    /// <summary>The same closed key range again: a row deleted or inserted since does not move its end.</summary>
    public Task<bool> CompareAgainAsync(RowKey? after, RowKey upTo, CancellationToken cancellationToken) =>
        MatchesInSnapshotAsync(new PgKeyRange(PgRangeCopier.Strings(after), PgRangeCopier.Strings(upTo)), cancellationToken);

    private async Task<bool> MatchesInSnapshotAsync(PgKeyRange range, CancellationToken cancellationToken)
    {
        if (inSnapshot)
        {
            return await PgChecksum.RangeMatchesAsync(sql, twin, table, range, cancellationToken).ConfigureAwait(false);
        }

        var matches = false;
        await sql.InTransactionAsync(
            async _ => matches = await PgChecksum.RangeMatchesAsync(sql, table, range, cancellationToken).ConfigureAwait(false),
            cancellationToken, IsolationLevel.RepeatableRead).ConfigureAwait(false);
        return matches;
    }

    /// <summary>
    /// The exact compare the group asks for when a range keeps differing: the original in SHARE mode
    /// (writers wait, readers do not), the stream drained into the shadow inside the same
    /// transaction, then both sides compared. A lock that cannot be had within the wait is asked
    /// for again a few times before the range is reported as differing.
    /// </summary>
    public async Task<bool> CompareLockedAsync(RowKey? after, RowKey upTo, TimeSpan lockWait, Func<object, CancellationToken, Task> drainTo, CancellationToken cancellationToken)
    {
        var range = new PgKeyRange(PgRangeCopier.Strings(after), PgRangeCopier.Strings(upTo));
        for (var attempt = 1; ; attempt++)
        {
            var matches = false;
            try
            {
                await sql.InTransactionAsync(
                    async _ =>
                    {
                        await LockAsync(sql, lockWait, cancellationToken).ConfigureAwait(false);
                        // Drained by the applier's own session, committed batch by batch (the SHARE lock does not
                        // stop writes to the shadow): a compare that rolls back then loses no applied change.
                        await drainTo(NoWriter, cancellationToken).ConfigureAwait(false);
                        matches = await PgChecksum.RangeMatchesAsync(sql, table, range, cancellationToken).ConfigureAwait(false);
                    },
                    cancellationToken).ConfigureAwait(false);
                return matches;
            }
            catch (PostgresException ex) when (ex.SqlState is "55P03" or "40P01" && attempt < 5)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Blocks writers to the original (SHARE mode: readers go on) for the rest of the transaction, waiting at most <paramref name="lockWait"/>.</summary>
    private async Task LockAsync(PgSql on, TimeSpan lockWait, CancellationToken cancellationToken)
    {
        await on.ExecuteAsync("SELECT set_config('lock_timeout', $1, true)", new object?[] { Math.Max(1L, (long)lockWait.TotalMilliseconds) + "ms" }, cancellationToken).ConfigureAwait(false);
        await on.ExecuteAsync("LOCK TABLE " + on.Quote(table.Original) + " IN SHARE MODE", null, cancellationToken).ConfigureAwait(false);
    }
}
