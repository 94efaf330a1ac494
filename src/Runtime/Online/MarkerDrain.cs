using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Online;

/// <summary>
/// "Applied up to here", proven the same way forward and in reverse: a marker row per table is
/// written (through the caller's writer when it holds the locks), and the stream is applied until
/// every marker came back, so everything committed before them is applied.
/// </summary>
internal static class MarkerDrain
{
    /// <summary>An unlocked drain this short leaves a locked one about as short (the stream's own lag plus the last moments' changes).</summary>
    public static readonly TimeSpan QuickDrain = TimeSpan.FromMilliseconds(50);

    private const int MaxUnlockedDrains = 6;

    /// <summary>
    /// Drains (through <paramref name="drain"/>) while writers still write, again and again until one drain
    /// took at most <see cref="QuickDrain"/> (or a few were made): a drain takes the stream's lag plus the
    /// time to apply what it brings, and the drain that follows with writers blocked takes about as long as
    /// the last unlocked one. One unlocked drain after a long phase (a checksum, a catch-up under load)
    /// left a backlog that the locked drain then applied while writers waited.
    /// </summary>
    public static async Task UntilQuickAsync(Func<CancellationToken, Task> drain, CancellationToken cancellationToken)
    {
        for (var round = 1; ; round++)
        {
            var watch = Stopwatch.StartNew();
            await drain(cancellationToken).ConfigureAwait(false);
            if (watch.Elapsed <= QuickDrain || round == MaxUnlockedDrains)
            {
                return;
            }
        }
    }

    /// <param name="apply">Applies one batch (on <paramref name="writer"/> when given).</param>
    /// <param name="stream">What delivers the markers; <paramref name="what"/> names it and <paramref name="then"/> says what to do in the timeout's message.</param>
    public static async Task RunAsync(
        IChangeStream stream, IEnumerable<GhostCopyTable> tables, int maxKeys, Func<ChangeBatch, Task> apply, object? writer, TimeSpan wait, string what, string then, CancellationToken cancellationToken)
    {
        // Keyed by changelog: every table's changelog counts from 1, so an id alone would let one table's marker stand for another's.
        var pending = new HashSet<Marker>();
        foreach (var table in tables)
        {
            pending.Add(new Marker(table.Changelog, await stream.WriteMarkerAsync(table, writer, cancellationToken).ConfigureAwait(false)));
        }

        var watch = Stopwatch.StartNew();
        while (pending.Count > 0)
        {
            var batch = await stream.ReadAsync(maxKeys, TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
            await apply(batch).ConfigureAwait(false);
            pending.ExceptWith(batch.Markers);
            if (watch.Elapsed > wait)
            {
                throw new TimeoutException($"the {what} did not deliver the marker rows within {wait.TotalSeconds:0}s (stream backlog {stream.Backlog}, lag {stream.Lag.TotalSeconds:0.0}s); the server decodes slowly: {then}");
            }
        }
    }
}
