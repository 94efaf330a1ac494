using System;
using System.Globalization;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Engines.MySql.Online;

/// <summary>The MariaDB throttle probes: each a query, a bound and the reason to wait.</summary>
internal static class MySqlThrottleProbes
{
    /// <summary>Load: <c>Threads_running</c> of the primary against <c>--max-load</c>.</summary>
    public static IThrottleProbe Load(MySqlSession session, int maxLoad) => new QueryProbe(
        "load",
        ct => session.QueryAsync("SHOW GLOBAL STATUS LIKE 'Threads_running'", null, ct),
        rows =>
        {
            var running = rows.Count == 0 ? 0 : Convert.ToInt32(rows[0][1], CultureInfo.InvariantCulture);
            return running > maxLoad ? $"load: Threads_running is {running}, above --max-load {maxLoad}" : null;
        });

    /// <summary>
    /// Replica lag: <c>Seconds_Behind_Master</c> of a replica (named by <c>--replica URL</c>) against
    /// <c>--max-lag</c>; a replica that cannot be asked, or does not replicate, is a reason to wait too.
    /// </summary>
    public static IThrottleProbe ReplicaLag(MySqlSession replica, TimeSpan maxLag) => new QueryProbe(
        "replica lag",
        ct => replica.QueryAsync("SHOW SLAVE STATUS", null, ct),
        status =>
        {
            if (status.Count == 0)
            {
                return $"replica lag: {replica.DisplayName} is not replicating (SHOW SLAVE STATUS is empty)";
            }

            var lag = SecondsBehind(status[0]);
            return lag is null ? $"replica lag: {replica.DisplayName} reports no lag (replication stopped?)"
                : lag.Value > maxLag ? $"replica lag: {replica.DisplayName} is {lag.Value.TotalSeconds:0}s behind, above --max-lag {maxLag.TotalSeconds:0}s" : null;
        },
        ex => $"replica lag: cannot ask {replica.DisplayName}: {ex.Message}");

    /// <summary>Seconds_Behind_Master is column 33 (0-based 32) of SHOW SLAVE STATUS on MariaDB and MySQL.</summary>
    private static TimeSpan? SecondsBehind(object?[] row) =>
        row.Length > 32 && row[32] is { } value ? TimeSpan.FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture)) : null;
}
