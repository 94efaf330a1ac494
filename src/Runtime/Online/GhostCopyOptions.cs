using System;
using System.Collections.Generic;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Online;

/// <summary>How ghost copies run: chunk time, throttling bounds, cutover lock wait and retries, checkpoint interval.</summary>
public sealed record GhostCopyOptions
{
    public static readonly GhostCopyOptions Default = new();

    /// <summary>Each chunk is sized to take about this long (adjusted continuously).</summary>
    public TimeSpan ChunkTime { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Rows of the first chunk (and bounds of later ones).</summary>
    public int InitialChunkRows { get; init; } = 1000;

    public int MinChunkRows { get; init; } = 100;

    public int MaxChunkRows { get; init; } = 100_000;

    /// <summary>
    /// While the change stream shows writes to the copied tables (any in the last <see cref="WritesRecently"/>), chunks
    /// hold at most this many rows. A chunk commits all its rows at once (MariaDB writes their binlog and redo in one go),
    /// and writers' commits wait behind it: on 1M rows under 480 writes/s, the writers' p99 during the copy was 128-199 ms
    /// with 100k-row chunks and 37-49 ms with 20k-row ones. An idle copy keeps the larger chunks (fewer statements).
    /// </summary>
    public int MaxChunkRowsUnderWrites { get; init; } = 20_000;

    /// <summary>How long after the last write seen chunks stay within <see cref="MaxChunkRowsUnderWrites"/>.</summary>
    public TimeSpan WritesRecently { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A throttle probe's "go" holds this long before the probes are asked again (a "wait" is asked again at every
    /// pause): one round trip per probe per chunk was about 5 ms of each 20k-row chunk under load.
    /// </summary>
    internal TimeSpan ProbeInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Copying waits while the server runs more threads than this (<c>Threads_running</c>); 0 disables.</summary>
    public int MaxLoad { get; init; } = 50;

    /// <summary>Copying waits while a replica lags more than this.</summary>
    public TimeSpan MaxLag { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Replicas whose lag is checked (connection URLs), besides those the server reports.</summary>
    public IReadOnlyList<string> Replicas { get; init; } = Array.Empty<string>();

    /// <summary>The checkpoint (watermark, stream position, counters) is written at least this often.</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Bound on each wait for the cutover's locks (writers are blocked at most about this long per attempt).</summary>
    public TimeSpan CutoverLockWait { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Cutover attempts before the step fails (the originals keep serving).</summary>
    public int CutoverAttempts { get; init; } = 10;

    /// <summary>PostgreSQL: the copy stops (and drops its replication slot) before the slot retains more WAL than this (<c>--max-slot-wal</c>).</summary>
    public long MaxSlotWalBytes { get; init; } = 10L * 1024 * 1024 * 1024;

    /// <summary>Drop the old tables right after the cutover instead of keeping them until <c>dotnet schema complete</c>.</summary>
    public bool DropOld { get; init; }

    /// <summary>
    /// Manual gate (<c>deploy --gate manual</c>): once every table is in sync the copies wait, applying
    /// changes, until <c>dotnet schema cutover</c> records an approval in the control table.
    /// </summary>
    public bool ManualGate { get; init; }

    /// <summary>While held at the gate, a marker proves the shadows caught up at least this often.</summary>
    public TimeSpan GateProofInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After the cutover the old table is kept in sync in reverse this long, so <c>dotnet schema revert</c>
    /// can swap back with every write kept (<c>--revert-window</c>; zero: no window, the old table is
    /// only kept). The deploy keeps applying the reverse changes until the window ends.
    /// </summary>
    public TimeSpan RevertWindow { get; init; }

    /// <summary>
    /// Sharded deployments (docs/deploy.md, "Shards"): at the gate the copies wait, applying changes,
    /// until this returns true, whatever the gate mode; it is polled about every 600 ms with the gate
    /// (the lowest plan step id of the group: a deployment that cuts over run by run meets one gate per
    /// run, the same on every shard) and whether the deployment is approved in the control table, and
    /// lets the shard through only once it is. Null: a single database, the approval alone decides.
    /// </summary>
    internal Func<int, bool, System.Threading.CancellationToken, System.Threading.Tasks.Task<bool>>? CutoverBarrier { get; init; }

    /// <summary>Test hooks at named points.</summary>
    internal GhostCopyHooks? Hooks { get; init; }
}

/// <summary>Named hook points for tests: pause, kill a connection or fail at an exact moment.</summary>
internal sealed record GhostCopyHooks
{
    /// <summary>Awaited after each committed chunk (table, chunk number).</summary>
    public Func<string, int, System.Threading.CancellationToken, System.Threading.Tasks.Task>? AfterChunk { get; init; }

    /// <summary>Awaited when the copy is complete, before catching up.</summary>
    public Func<System.Threading.CancellationToken, System.Threading.Tasks.Task>? AfterCopy { get; init; }

    public CutoverHooks? Cutover { get; init; }
}
