using System;
using System.Data;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Engines.Postgres.Online;

/// <summary>
/// Compares one key range of the original and the shadow (<see cref="PgChecksum"/>), both in one
/// REPEATABLE READ snapshot without blocking anyone. Under a write load that snapshot may hold
/// changes the stream has not brought yet; what to do about a difference (drain, compare again,
/// compare locked, copy again) is the group's retry policy, not this class's.
/// </summary>
internal sealed class PgRangeChecksum : IChecksum
{
    private readonly PgSql sql;
    private readonly PgGhostTable table;

    /// <summary>Not a session: the applier then uses its own.</summary>
    private static readonly object NoWriter = new();

    public PgRangeChecksum(PgSql sql, PgGhostTable table)
    {
        this.sql = sql;
        this.table = table;
    }

    public async Task<ChecksumChunk?> CompareNextAsync(RowKey? after, int rows, CancellationToken cancellationToken)
    {
        rows = Math.Min(rows, PgChecksum.RangeRows);
        var range = await PgRangeCopier.RangeAsync(sql, table, after, rows, cancellationToken).ConfigureAwait(false);
        if (range is null)
        {
            return null;
        }

        var matches = await MatchesInSnapshotAsync(range, cancellationToken).ConfigureAwait(false);
        return new ChecksumChunk(new RowKey(range.UpTo!), rows, matches);
    }

    /// <summary>The same closed key range again: a row deleted or inserted since does not move its end.</summary>
    public Task<bool> CompareAgainAsync(RowKey? after, RowKey upTo, CancellationToken cancellationToken) =>
        MatchesInSnapshotAsync(new PgKeyRange(PgRangeCopier.Strings(after), PgRangeCopier.Strings(upTo)), cancellationToken);

    private async Task<bool> MatchesInSnapshotAsync(PgKeyRange range, CancellationToken cancellationToken)
    {
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
                        await sql.ExecuteAsync("SELECT set_config('lock_timeout', $1, true)", new object?[] { Math.Max(1L, (long)lockWait.TotalMilliseconds) + "ms" }, cancellationToken).ConfigureAwait(false);
                        await sql.ExecuteAsync("LOCK TABLE " + sql.Quote(table.Original) + " IN SHARE MODE", null, cancellationToken).ConfigureAwait(false);
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
}
