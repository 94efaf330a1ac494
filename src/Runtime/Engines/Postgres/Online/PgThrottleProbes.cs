using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
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
    public static IThrottleProbe SlotWal(PgSlotWal wal) => new QueryProbe(
        "slot WAL",
        wal.Query,
        rows =>
        {
            if (PgSlotWal.Retained(rows) is not { } retained)
            {
                return null;
            }

            if (retained > wal.Max)
            {
                throw wal.Exceeded(retained);
            }

            return retained > wal.Max / 2 ? $"slot {wal.Slot()} retains {retained / (1024 * 1024)} MB of WAL (bound {wal.Max / (1024 * 1024)} MB)" : null;
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

/// <summary>The WAL the copy's slot retains (<c>pg_current_wal_lsn() - restart_lsn</c>) against <c>--max-slot-wal</c>: for the throttle probe and the primary key's build.</summary>
internal sealed class PgSlotWal
{
    private readonly PgSql sql;

    public PgSlotWal(PgSql sql, Func<string?> slot, long max)
    {
        this.sql = sql;
        Slot = slot;
        Max = max;
    }

    public Func<string?> Slot { get; }

    public long Max { get; }

    public Task<IReadOnlyList<object?[]>> Query(CancellationToken cancellationToken) =>
        sql.QueryAsync("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint FROM pg_replication_slots WHERE slot_name = $1", new object?[] { Slot() ?? string.Empty }, cancellationToken);

    /// <summary>The retained bytes, or null without a slot (none open yet, or a copy without a stream).</summary>
    public async Task<long?> RetainedAsync(CancellationToken cancellationToken) => Retained(await Query(cancellationToken).ConfigureAwait(false));

    public static long? Retained(IReadOnlyList<object?[]> rows) => rows.Count == 0 ? null : rows[0][0] as long?;

    public InvalidOperationException Exceeded(long retained, string? why = null) => new(
        $"replication slot {Slot()} retains {retained / (1024 * 1024)} MB of WAL, more than --max-slot-wal ({Max / (1024 * 1024)} MB){why}; the copy stopped and drops its slot so the primary's disk cannot fill. "
        + "The next deploy starts this copy over from the first row: the changes made to the table since the copy started were kept only in the WAL that slot held, so the rows copied so far cannot be brought up to date. "
        + "Deploy again when the write load is lower, or raise --max-slot-wal.");
}
