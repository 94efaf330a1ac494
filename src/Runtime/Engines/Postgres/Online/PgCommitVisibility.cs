using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace SchemaBuild.Runtime.Engines.Postgres.Online;

/// <summary>
/// Waits until decoded transactions are visible to new snapshots. A committing backend flushes its
/// commit record (which the walsender may decode and send at once) before it leaves the proc array,
/// so for a moment a snapshot still sees the transaction as running. The applier copies the
/// original's current rows for the changed keys: reading them in that moment would copy the old row
/// and lose the change for good, since its event is already consumed. Waiting here closes the gap.
/// </summary>
internal static class PgCommitVisibility
{
    /// <summary>
    /// The 32-bit xids pgoutput sends are widened to xid8 around the snapshot's xmax (a live xid is
    /// always within 2^31 of it), then checked against that snapshot.
    /// </summary>
    private const string CountInvisible =
        "SELECT count(*) FROM (SELECT pg_current_snapshot() AS snap) s"
        + " CROSS JOIN LATERAL (SELECT pg_snapshot_xmax(s.snap)::text::bigint AS xmax) m"
        + " CROSS JOIN LATERAL unnest($1::bigint[]) AS x(low)"
        + " CROSS JOIN LATERAL (SELECT ((m.xmax >> 32) << 32) + x.low AS wide) w"
        + " WHERE NOT pg_visible_in_snapshot((CASE WHEN w.wide > m.xmax + 2147483648 AND w.wide >= 4294967296 THEN w.wide - 4294967296"
        + " WHEN w.wide < m.xmax - 2147483648 THEN w.wide + 4294967296 ELSE w.wide END)::text::xid8, s.snap)";

    /// <summary>How many of <paramref name="xids"/> a snapshot taken now still sees as running.</summary>
    public static async Task<long> CountInvisibleAsync(PgSql sql, IReadOnlyCollection<uint> xids, CancellationToken cancellationToken) =>
        xids.Count == 0 ? 0 : (long)(await sql.ScalarAsync(CountInvisible, new object?[] { xids.Select(x => (long)x).ToArray() }, cancellationToken).ConfigureAwait(false))!;

    /// <summary>Returns once every one of <paramref name="xids"/> is visible to new snapshots (usually at once).</summary>
    public static async Task WaitAsync(PgSql sql, IReadOnlyCollection<uint> xids, TimeSpan limit, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        for (var pause = 1; await CountInvisibleAsync(sql, xids, cancellationToken).ConfigureAwait(false) > 0; pause = Math.Min(pause * 2, 50))
        {
            if (watch.Elapsed > limit)
            {
                throw new TimeoutException(
                    $"transactions {string.Join(", ", xids.Take(5))} were decoded from the replication slot but stayed invisible to new snapshots for {limit.TotalSeconds:0} s "
                    + "(a commit waiting for a synchronous standby?); the ghost copy stops rather than copy rows without their change. Check synchronous_standby_names, then deploy again: it resumes.");
            }

            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
        }
    }
}
