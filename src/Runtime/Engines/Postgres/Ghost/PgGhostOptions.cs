using System;
using System.Threading;
using System.Threading.Tasks;

namespace SchemaBuild.Runtime.Engines.Postgres.Ghost;

/// <summary>How a PostgreSQL ghost copy runs: chunk time, cutover lock wait and retries, the retained-WAL guard, throttling, test hooks.</summary>
internal sealed record PgGhostOptions
{
    public static readonly PgGhostOptions Default = new();

    /// <summary>Target time of one copy chunk; the chunk's rows adapt to it.</summary>
    public TimeSpan ChunkTime { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The cutover's lock_timeout: writers queue behind the cutover at most this long per attempt.</summary>
    public TimeSpan CutoverLockWait { get; init; } = TimeSpan.FromSeconds(2);

    public int CutoverAttempts { get; init; } = 6;

    /// <summary>The copy stops (and cleans up) before the slot retains more WAL than this (--max-slot-wal).</summary>
    public long MaxSlotWalBytes { get; init; } = 10L * 1024 * 1024 * 1024;

    /// <summary>Chunks wait while a streaming replica replays later than this (pg_stat_replication.replay_lag).</summary>
    public TimeSpan MaxReplicaLag { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a catch-up may take to see its marker before the copy gives up.</summary>
    public TimeSpan CatchUpTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Named hook points for tests (<c>AfterChunk</c>, <c>CaughtUp</c>, <c>InCutoverLock</c>): pause, fail or kill at an exact moment.</summary>
    public Func<string, CancellationToken, Task>? Hook { get; init; }

    /// <summary>Progress lines (rows copied, changes applied, state).</summary>
    public Action<string>? Progress { get; init; }
}
