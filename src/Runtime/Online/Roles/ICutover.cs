using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace SchemaBuild.Runtime.Online.Roles;

/// <summary>
/// Swaps every ghost-copied table of a deployment in one atomic operation, under a bounded lock
/// wait. Contract: writers are blocked on the originals, then <paramref name="drain"/> runs (it must
/// apply every change committed before the lock, on the session it is given), then all names swap at
/// once; the original becomes <see cref="GhostCopyTable.Old"/>. On any failure or timeout nothing is
/// renamed, every lock is released and the originals keep serving (the caller retries with backoff).
/// If the locking process dies, the swap must not happen.
/// </summary>
internal interface ICutover
{
    Task<CutoverResult> SwapAsync(IReadOnlyList<GhostCopyTable> tables, TimeSpan lockWait, Func<object, CancellationToken, Task> drain, CutoverHooks? hooks, CancellationToken cancellationToken);
}

/// <summary>
/// How a cutover attempt went: swapped, or why not; how long writers were blocked; where that time
/// went (lock wait, drain, swap, commit: engine-named parts, for the log and the benchmark).
/// </summary>
internal sealed record CutoverResult(bool Swapped, string? Reason, TimeSpan LockHeld, IReadOnlyList<(string Part, TimeSpan Took)>? Parts = null)
{
    public string PartsText => Parts is null ? string.Empty : string.Join(", ", Parts.Select(p => $"{p.Part} {p.Took.TotalMilliseconds:0}"));
}

/// <summary>Named hook points for tests (pause, kill, fail at an exact moment).</summary>
internal sealed record CutoverHooks
{
    /// <summary>Awaited while the originals are locked, before the drain.</summary>
    public Func<CancellationToken, Task>? InCutoverLock { get; init; }

    /// <summary>Awaited before the lock is requested.</summary>
    public Func<CancellationToken, Task>? BeforeCutover { get; init; }
}
