using System;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Engines.Postgres.Online;

/// <summary>
/// WAL the copy's slot retains: copying waits above half the bound (the applier catches up and
/// confirms, which releases WAL); above the bound the copy stops, so a stalled copy can never fill
/// the primary's disk (the failed copy's slot is dropped with it).
/// </summary>
internal sealed class PgSlotWalProbe : IThrottleProbe
{
    private readonly PgSql sql;
    private readonly Func<string?> slot;
    private readonly long max;

    public PgSlotWalProbe(PgSql sql, Func<string?> slot, long max)
    {
        this.sql = sql;
        this.slot = slot;
        this.max = max;
    }

    public string Name => "slot WAL";

    public async Task<string?> ReasonAsync(CancellationToken cancellationToken)
    {
        if (slot() is not { } name)
        {
            return null;
        }

        var retained = await sql.ScalarAsync("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint FROM pg_replication_slots WHERE slot_name = $1", new object?[] { name }, cancellationToken).ConfigureAwait(false) as long? ?? 0;
        if (retained > max)
        {
            throw new InvalidOperationException(
                $"replication slot {name} retains {retained / (1024 * 1024)} MB of WAL, more than --max-slot-wal ({max / (1024 * 1024)} MB); the copy stopped and drops its slot so the primary's disk cannot fill. Deploy again when the write load is lower, or raise --max-slot-wal.");
        }

        return retained > max / 2 ? $"slot {name} retains {retained / (1024 * 1024)} MB of WAL (bound {max / (1024 * 1024)} MB)" : null;
    }
}

/// <summary>Replay lag of the streaming replicas (pg_stat_replication.replay_lag) against --max-lag.</summary>
internal sealed class PgReplicaLagProbe : IThrottleProbe
{
    private readonly PgSql sql;
    private readonly TimeSpan max;

    public PgReplicaLagProbe(PgSql sql, TimeSpan max)
    {
        this.sql = sql;
        this.max = max;
    }

    public string Name => "replica lag";

    public async Task<string?> ReasonAsync(CancellationToken cancellationToken)
    {
        var row = (await sql.QueryAsync(
            "SELECT application_name::text, extract(epoch FROM replay_lag)::float8 FROM pg_stat_replication WHERE replay_lag IS NOT NULL ORDER BY replay_lag DESC LIMIT 1",
            null, cancellationToken).ConfigureAwait(false));
        return row.Count > 0 && (double)row[0][1]! > max.TotalSeconds ? $"replica {row[0][0]} replays {(double)row[0][1]!:0.0} s behind (bound {max.TotalSeconds:0.#} s)" : null;
    }
}
