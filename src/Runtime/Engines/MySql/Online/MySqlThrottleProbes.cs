using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Engines.MySql.Online;

/// <summary>Load: <c>Threads_running</c> of the primary against <c>--max-load</c>.</summary>
internal sealed class MySqlLoadProbe : IThrottleProbe
{
    private readonly MySqlSession session;
    private readonly int maxLoad;

    public MySqlLoadProbe(MySqlSession session, int maxLoad)
    {
        this.session = session;
        this.maxLoad = maxLoad;
    }

    public string Name => "load";

    public async Task<string?> ReasonAsync(CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync("SHOW GLOBAL STATUS LIKE 'Threads_running'", null, cancellationToken).ConfigureAwait(false);
        var running = rows.Count == 0 ? 0 : Convert.ToInt32(rows[0][1], CultureInfo.InvariantCulture);
        return running > maxLoad ? $"load: Threads_running is {running}, above --max-load {maxLoad}" : null;
    }
}

/// <summary>Replica lag: <c>Seconds_Behind_Master</c> of a replica (named by <c>--replica URL</c>) against <c>--max-lag</c>; a replica that cannot be asked, or does not replicate, is a reason to wait too.</summary>
internal sealed class MySqlReplicaLagProbe : IThrottleProbe, IAsyncDisposable
{
    private readonly MySqlSession replica;
    private readonly TimeSpan maxLag;

    public MySqlReplicaLagProbe(MySqlSession replica, TimeSpan maxLag)
    {
        this.replica = replica;
        this.maxLag = maxLag;
    }

    public string Name => "replica lag";

    public async Task<string?> ReasonAsync(CancellationToken cancellationToken)
    {
        try
        {
            var status = await replica.QueryAsync("SHOW SLAVE STATUS", null, cancellationToken).ConfigureAwait(false);
            if (status.Count == 0)
            {
                return $"replica lag: {replica.DisplayName} is not replicating (SHOW SLAVE STATUS is empty)";
            }

            var lag = SecondsBehind(status[0]);
            return lag is null ? $"replica lag: {replica.DisplayName} reports no lag (replication stopped?)"
                : lag.Value > maxLag ? $"replica lag: {replica.DisplayName} is {lag.Value.TotalSeconds:0}s behind, above --max-lag {maxLag.TotalSeconds:0}s" : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not OutOfMemoryException)
        {
            return $"replica lag: cannot ask {replica.DisplayName}: {ex.Message}";
        }
    }

    public ValueTask DisposeAsync() => replica.DisposeAsync();

    /// <summary>Seconds_Behind_Master is column 33 (0-based 32) of SHOW SLAVE STATUS on MariaDB and MySQL.</summary>
    private static TimeSpan? SecondsBehind(object?[] row) =>
        row.Length > 32 && row[32] is { } value ? TimeSpan.FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture)) : null;
}
