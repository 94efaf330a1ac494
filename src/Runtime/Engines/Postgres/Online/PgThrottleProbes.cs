using System;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Engines.Postgres.Online;

/// <summary>The PostgreSQL throttle probes: each a query, a bound and the reason to wait.</summary>
internal static class PgThrottleProbes
{
    /// <summary>
    /// WAL the copy's slot retains: copying waits above half the bound (the applier catches up and
    /// confirms, which releases WAL); above the bound the copy stops, so a stalled copy can never fill
    /// the primary's disk (the failed copy's slot is dropped with it).
    /// </summary>
    public static IThrottleProbe SlotWal(PgSql sql, Func<string?> slot, long max) => new QueryProbe(
        "slot WAL",
        ct => sql.QueryAsync(
            "SELECT slot_name::text, pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint FROM pg_replication_slots WHERE slot_name = $1",
            new object?[] { slot() ?? string.Empty }, ct),
        rows =>
        {
            if (rows.Count == 0 || rows[0][1] is not long retained)
            {
                return null;
            }

            var name = (string)rows[0][0]!;
            if (retained > max)
            {
                throw new InvalidOperationException(
                    $"replication slot {name} retains {retained / (1024 * 1024)} MB of WAL, more than --max-slot-wal ({max / (1024 * 1024)} MB); the copy stopped and drops its slot so the primary's disk cannot fill. "
                    + "The next deploy starts this copy over from the first row: the changes made to the table since the copy started were kept only in the WAL that slot held, so the rows copied so far cannot be brought up to date. "
                    + "Deploy again when the write load is lower, or raise --max-slot-wal.");
            }

            return retained > max / 2 ? $"slot {name} retains {retained / (1024 * 1024)} MB of WAL (bound {max / (1024 * 1024)} MB)" : null;
        });

    /// <summary>
    /// Replay lag of the streaming replicas (pg_stat_replication.replay_lag) against --max-lag.
    /// Logical walsenders are left out: their lag is their consumer's business, and a ghost copy's
    /// own stream (or another's) reports minutes of it while the WAL it decodes belongs to other
    /// databases, which would hold the copy back for good.
    /// </summary>
    public static IThrottleProbe ReplicaLag(PgSql sql, TimeSpan max) => new QueryProbe(
        "replica lag",
        ct => sql.QueryAsync(
            "SELECT r.application_name::text, extract(epoch FROM r.replay_lag)::float8 FROM pg_stat_replication r WHERE r.replay_lag IS NOT NULL"
            + " AND NOT EXISTS (SELECT 1 FROM pg_replication_slots s WHERE s.active_pid = r.pid AND s.slot_type = 'logical') ORDER BY r.replay_lag DESC LIMIT 1",
            null, ct),
        rows => rows.Count > 0 && (double)rows[0][1]! > max.TotalSeconds ? $"replica {rows[0][0]} replays {(double)rows[0][1]!:0.0} s behind (bound {max.TotalSeconds:0.#} s)" : null);
}
