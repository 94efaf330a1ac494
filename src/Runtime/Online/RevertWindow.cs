using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SchemaBuild.Runtime.Online.Roles;
using SchemaBuild.Runtime.State;

namespace SchemaBuild.Runtime.Online;

/// <summary>
/// The revert window after a cutover (<c>--revert-window</c>): the old tables are kept in sync from
/// the new ones by a ghost copy in reverse without the bulk copy (<see cref="ReverseSync"/>). The
/// group opens it around the swap (the reverse stream's start is fixed before writers reach the new
/// table), the deploy holds it (applies reverse changes until the window ends), and
/// <c>revert</c> / <c>complete</c> act on it from any process through the control table:
/// <list type="bullet">
/// <item><c>revert-window → reverting</c> (compare-and-set) makes <c>revert</c> the owner: the deploy
/// that holds the window sees it and stops; revert catches up from the stored position, then swaps
/// back with the engine's own cutover (<c>reverted</c>), or goes back to <c>revert-window</c>;</item>
/// <item><c>revert-window → done</c> by <c>complete</c> or at the window's end: the reverse stream
/// stops and the old tables, changelogs and reverse slots are dropped.</item>
/// </list>
/// </summary>
internal sealed class RevertWindow
{
    private static readonly TimeSpan HoldWait = TimeSpan.FromMilliseconds(200);

    private readonly IOnlineEngine engine;
    private readonly IRevertEngine reverse;
    private readonly GhostCopyStore store;
    private readonly GhostCopyOptions options;
    private readonly ILogger logger;
    private readonly Action<string>? note;
    private readonly List<(GhostCopyRecord Record, RevertTable Window)> opened = new();
    private RevertStart? start;

    private RevertWindow(IOnlineEngine engine, GhostCopyStore store, GhostCopyOptions options, ILogger logger, Action<string>? note)
    {
        this.engine = engine;
        reverse = (IRevertEngine)engine;
        this.store = store;
        this.options = options;
        this.logger = logger;
        this.note = note;
    }

    /// <summary>Who holds or reverts a window (user@host pid), recorded as the rows' owner.</summary>
    public static string Owner => $"{Environment.UserName}@{Environment.MachineName} pid {Environment.ProcessId}";

    /// <summary>The window of one cutover, or null when there is none (zero length, <c>--drop-old</c>, or an engine without one).</summary>
    public static RevertWindow? Create(IOnlineEngine engine, GhostCopyStore store, GhostCopyOptions options, ILogger logger, Action<string>? note) =>
        options.RevertWindow > TimeSpan.Zero && !options.DropOld && engine is IRevertEngine ? new RevertWindow(engine, store, options, logger, note) : null;

    /// <summary>Tables whose window is open, for the deploy's closing line.</summary>
    public IEnumerable<string> Tables => opened.Select(o => o.Window.Table);

    /// <summary>Before the first cutover attempt: the engine fixes where the reverse stream starts (PostgreSQL: a slot on the shadows).</summary>
    public async Task BeforeSwapAsync(IReadOnlyList<GhostCopyTable> tables, CancellationToken cancellationToken) =>
        start ??= await reverse.BeforeSwapAsync(tables, cancellationToken).ConfigureAwait(false);

    /// <summary>The cutover failed for good: the reverse stream's resources go.</summary>
    public async Task AbandonAsync(CancellationToken cancellationToken)
    {
        if (start is not null)
        {
            await reverse.DropRevertStreamAsync(start.Slot, cancellationToken).ConfigureAwait(false);
            start = null;
        }
    }

    /// <summary>
    /// After the swap, before the rows move to <c>revert-window</c>: stores each table's reverse mapping and
    /// the reverse stream's start (<paramref name="forwardPosition"/>: the forward stream's position
    /// after the drain under the cutover lock, when the engine has no start of its own).
    /// </summary>
    public async Task OpenedAsync(IReadOnlyList<(GhostCopyRecord Record, GhostCopyTable Table)> swapped, string? forwardPosition, CancellationToken cancellationToken)
    {
        var from = start ?? throw new InvalidOperationException("BeforeSwapAsync first");
        await reverse.AfterSwapAsync(cancellationToken).ConfigureAwait(false);
        var until = DateTimeOffset.UtcNow + options.RevertWindow;
        var windows = new RevertWindowStore(store);
        foreach (var (record, table) in swapped)
        {
            var window = await reverse.ReverseAsync(table, from, cancellationToken).ConfigureAwait(false) with { Until = until };

            // Prepared now, before the row shows the window: an engine that renames the old table for its revert does it before anyone can complete or revert.
            window = window with { Old = (await reverse.PrepareRevertAsync(window, cancellationToken).ConfigureAwait(false)).Shadow };
            var row = record with
            {
                StreamPosition = from.Position ?? forwardPosition ?? throw new InvalidOperationException("the change stream recorded no position at the cutover"),
                Old = window.Old, Artifacts = GhostCopy.Json(new[] { window.Old, window.Changelog }), ThrottleReason = null, Owner = Owner,
            };
            await store.CheckpointAsync(row, cancellationToken).ConfigureAwait(false);
            await windows.SaveAsync(row, window, cancellationToken).ConfigureAwait(false);
            opened.Add((row, window));
            var dropped = window.Dropped.Count == 0 ? string.Empty : $"; a revert drops the new column(s) {string.Join(", ", window.Dropped)}";
            note?.Invoke($"revert window of {window.Table} open until {until.UtcDateTime:HH:mm:ss}Z: `dotnet schema revert --deployment {record.DeploymentId}` swaps back with every write kept, `dotnet schema complete` ends it{dropped}");
        }
    }

    /// <summary>
    /// Keeps the old tables of every window in sync until each ends: expired (dropped here), completed
    /// or taken over by <c>revert</c> from another process (seen in the control table within one
    /// batch). A failure here ends the hold, not the deployment: revert catches up from the last checkpoint.
    /// </summary>
    public static async Task HoldAsync(IReadOnlyList<RevertWindow> windows, CancellationToken cancellationToken)
    {
        var held = new List<(RevertWindow Window, ReverseSync Sync, Stopwatch SinceCheckpoint)>();
        try
        {
            foreach (var window in windows.Where(w => w.opened.Count > 0))
            {
                try
                {
                    held.Add((window, await ReverseSync.OpenAsync(window.engine, window.store, window.opened, Owner, cancellationToken).ConfigureAwait(false), Stopwatch.StartNew()));
                }
                catch (Exception ex) when (ex is not OperationCanceledException && ex is not OutOfMemoryException)
                {
                    window.Stopped(ex);
                }
            }

            while (held.Count > 0)
            {
                foreach (var entry in held.ToList())
                {
                    bool more;
                    try
                    {
                        more = await entry.Window.StepAsync(entry.Sync, entry.SinceCheckpoint, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException && ex is not OutOfMemoryException)
                    {
                        entry.Window.Stopped(ex);
                        more = false;
                    }

                    if (!more)
                    {
                        held.Remove(entry);
                        await entry.Sync.DisposeAsync().ConfigureAwait(false);
                    }
                }
            }
        }
        finally
        {
            foreach (var entry in held)
            {
                await entry.Sync.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>One round of the hold: false when the window ended or another process owns it.</summary>
    private async Task<bool> StepAsync(ReverseSync sync, Stopwatch sinceCheckpoint, CancellationToken cancellationToken)
    {
        var states = await sync.StatesAsync(cancellationToken).ConfigureAwait(false);
        if (states.Any(s => s != GhostCopyState.RevertWindow))
        {
            note?.Invoke($"revert window of {string.Join(", ", sync.Members.Select(m => m.Window.Table))}: now {string.Join(", ", states.Distinct())} (reverted or completed by another process); this deploy stops keeping it in sync");
            return false;
        }

        if (DateTimeOffset.UtcNow >= sync.Members.Min(m => m.Window.Until))
        {
            await EndHeldAsync(sync, "ended", cancellationToken).ConfigureAwait(false);
            return false;
        }

        await sync.ApplyAsync(HoldWait, cancellationToken).ConfigureAwait(false);
        if (sinceCheckpoint.Elapsed >= options.CheckpointInterval)
        {
            await sync.CheckpointAsync(cancellationToken).ConfigureAwait(false);
            sinceCheckpoint.Restart();

            // The reverse slot retains WAL the primary cannot recycle: past --max-slot-wal the window ends, as the copy stops before it, so the disk cannot fill.
            if (await reverse.RetainedBytesAsync(sync.Slot, cancellationToken).ConfigureAwait(false) is { } retained && retained > options.MaxSlotWalBytes)
            {
                var reason = $"ended early: its replication slot {sync.Slot} retains {retained / (1024 * 1024)} MB of WAL, more than --max-slot-wal ({options.MaxSlotWalBytes / (1024 * 1024)} MB), so it can no longer be reverted";
                logger.LogWarning("revert window of {Tables} {Reason}", string.Join(", ", sync.Members.Select(m => m.Window.Table)), reason);
                await EndHeldAsync(sync, reason, cancellationToken).ConfigureAwait(false);
                return false;
            }
        }

        return true;
    }

    /// <summary>Ends a held window (its end, or the WAL guard): the rows go to done, the reverse stream stops, the old tables, changelogs and slot are dropped.</summary>
    private async Task EndHeldAsync(ReverseSync sync, string why, CancellationToken cancellationToken)
    {
        await sync.CheckpointAsync(cancellationToken).ConfigureAwait(false);
        foreach (var member in sync.Members)
        {
            await store.MoveAsync(member.Record, GhostCopyState.Done, null, cancellationToken).ConfigureAwait(false);
        }

        await sync.DisposeAsync().ConfigureAwait(false);
        var dropped = await EndAsync(engine, store, sync.Members.Select(m => (m.Record, m.Window, (IReadOnlyList<string>)new[] { m.Window.Old, m.Window.Changelog })).ToList(), cancellationToken).ConfigureAwait(false);
        note?.Invoke($"revert window of {string.Join(", ", sync.Members.Select(m => m.Window.Table))} {why}: the reverse stream stopped, dropped {string.Join(", ", dropped)}");
    }

    private void Stopped(Exception ex)
    {
        logger.LogWarning(ex, "the revert window of {Tables} stopped being kept in sync", string.Join(", ", opened.Select(o => o.Window.Table)));
        note?.Invoke($"revert window of {string.Join(", ", opened.Select(o => o.Window.Table))}: this deploy stopped keeping the old tables in sync ({ex.Message}); `dotnet schema revert` still catches up from the last checkpoint while the window is open");
    }

    /// <summary>
    /// <c>dotnet schema revert</c>: takes every table of the deployment that is in its window, catches
    /// the old tables up from the stored position, and swaps back with the engine's cutover. Every
    /// write made since the cutover is in the old tables; columns only the new tables have are dropped.
    /// </summary>
    public static async Task<RevertResult> RevertAsync(IOnlineEngine engine, GhostCopyStore store, string deploymentId, GhostCopyOptions options, Action<string>? note, CancellationToken cancellationToken)
    {
        if (engine is not IRevertEngine)
        {
            throw new RevertRefusedException($"deployment {deploymentId}: this engine has no revert window");
        }

        var rows = await store.ListAsync(deploymentId, cancellationToken).ConfigureAwait(false);
        var open = rows.Where(r => r.State == GhostCopyState.RevertWindow).ToList();
        if (open.Count == 0)
        {
            throw new RevertRefusedException(rows.Count == 0
                ? $"deployment {deploymentId} has no ghost copy in {store.Name}; run 'dotnet schema status' to list deployments"
                : $"deployment {deploymentId} has no table in its revert window ({string.Join(", ", rows.Select(r => $"{r.Table} is {r.State}"))}); a revert is possible only while the window after a ghost copy's cutover is open (deploy --revert-window)");
        }

        var windows = new RevertWindowStore(store);
        var tables = new List<(GhostCopyRecord Record, RevertTable Window)>();
        foreach (var row in open)
        {
            var window = await windows.GetAsync(row, cancellationToken).ConfigureAwait(false)
                ?? throw new RevertRefusedException($"the ghost copy of {row.Table} (deployment {deploymentId}) has no revert window stored; it cannot be reverted");
            if (window.Until <= DateTimeOffset.UtcNow)
            {
                throw new RevertRefusedException(
                    $"the revert window of {row.Table} (deployment {deploymentId}) ended at {window.Until.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z; the new table stays. Run 'dotnet schema complete --deployment {deploymentId}' to drop the old table.");
            }

            if (await ((IRevertEngine)engine).RevertRefusalAsync(window, cancellationToken).ConfigureAwait(false) is { } refusal)
            {
                throw new RevertRefusedException($"deployment {deploymentId} cannot be reverted: {refusal}.");
            }

            tables.Add((row, window));
        }

        foreach (var (row, _) in tables)
        {
            await store.MoveAsync(row, GhostCopyState.Reverting, null, cancellationToken).ConfigureAwait(false);
        }

        var reverted = new List<string>();
        var lockHeld = TimeSpan.Zero;
        var pending = tables.Select(t => t with { Record = t.Record with { State = GhostCopyState.Reverting } }).ToList();
        try
        {
            foreach (var group in pending.GroupBy(t => t.Window.Slot).ToList())
            {
                await using var sync = await ReverseSync.OpenAsync(engine, store, group.ToList(), Owner, cancellationToken).ConfigureAwait(false);
                var watch = Stopwatch.StartNew();
                var appliedBefore = sync.Members.Sum(m => m.Record.EventsApplied);
                await sync.DrainAsync(null, TimeSpan.FromMinutes(30), cancellationToken).ConfigureAwait(false);
                await sync.CheckpointAsync(cancellationToken).ConfigureAwait(false);
                note?.Invoke($"revert of {string.Join(", ", group.Select(t => t.Window.Table))}: caught up in {watch.Elapsed.TotalSeconds:0.0}s ({sync.Members.Sum(m => m.Record.EventsApplied) - appliedBefore} changed keys applied in reverse since the last checkpoint)");
                var result = await sync.SwapBackAsync(options, note, cancellationToken).ConfigureAwait(false);
                if (!result.Swapped)
                {
                    throw new TimeoutException($"the revert of {string.Join(", ", group.Select(t => t.Window.Table))} gave up after {options.CutoverAttempts} attempts: {result.Reason}; the new tables keep serving. Run revert again while the window is open, or raise --cutover-lock-wait.");
                }

                lockHeld = lockHeld > result.LockHeld ? lockHeld : result.LockHeld;
                foreach (var member in sync.Members)
                {
                    await store.MoveAsync(member.Record, GhostCopyState.Reverted, null, cancellationToken).ConfigureAwait(false);
                    pending.RemoveAll(p => p.Record.Table == member.Record.Table && p.Record.StepId == member.Record.StepId);
                    reverted.Add(member.Window.Table);
                }

                await sync.DisposeAsync().ConfigureAwait(false);
                await EndAsync(engine, store, sync.Members.Select(m => (m.Record, m.Window, (IReadOnlyList<string>)new[] { m.Reversed.Old, m.Window.Changelog })).ToList(), cancellationToken).ConfigureAwait(false);
                note?.Invoke($"reverted {string.Join(", ", sync.Members.Select(m => m.Window.Table))}: writers waited {result.LockHeld.TotalMilliseconds:0} ms"
                             + (sync.Members.Any(m => m.Window.Dropped.Count > 0) ? $"; dropped the new column(s) {string.Join(", ", sync.Members.SelectMany(m => m.Window.Dropped))}" : string.Empty));
            }
        }
        catch
        {
            // Not swapped: the window stays open for another attempt.
            foreach (var (row, _) in pending)
            {
                try
                {
                    await store.MoveAsync(row, GhostCopyState.RevertWindow, null, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception inner) when (inner is not OutOfMemoryException)
                {
                    note?.Invoke($"could not put {row.Table} back in its revert window: {inner.Message}");
                }
            }

            throw;
        }

        return new RevertResult(reverted, lockHeld);
    }

    /// <summary>
    /// <c>dotnet schema complete</c> for open windows: each goes to <c>done</c>, the reverse stream stops
    /// (the deploy holding it sees the state) and the old tables, changelogs and slots are dropped.
    /// </summary>
    public static async Task<IReadOnlyList<string>> CompleteAsync(IOnlineEngine engine, GhostCopyStore store, string? deploymentId, CancellationToken cancellationToken)
    {
        var windows = new RevertWindowStore(store);
        var ended = new List<(GhostCopyRecord, RevertTable, IReadOnlyList<string>)>();
        foreach (var row in (await store.ListAsync(deploymentId, cancellationToken).ConfigureAwait(false)).Where(r => r.State == GhostCopyState.RevertWindow))
        {
            if (await windows.GetAsync(row, cancellationToken).ConfigureAwait(false) is not { } window)
            {
                continue;
            }

            await store.MoveAsync(row, GhostCopyState.Done, null, cancellationToken).ConfigureAwait(false);
            ended.Add((row, window, new[] { row.Old, window.Old, window.Changelog }.Distinct(StringComparer.Ordinal).ToList()));
        }

        return ended.Count == 0 ? Array.Empty<string>() : await EndAsync(engine, store, ended, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops the reverse streams' resources and the given tables, and empties the rows' artifact lists; returns the tables dropped.</summary>
    private static async Task<IReadOnlyList<string>> EndAsync(IOnlineEngine engine, GhostCopyStore store, IReadOnlyList<(GhostCopyRecord Record, RevertTable Window, IReadOnlyList<string> Drop)> tables, CancellationToken cancellationToken)
    {
        var reverse = (IRevertEngine)engine;
        foreach (var slot in tables.Select(t => t.Window.Slot).Where(s => s is not null).Distinct(StringComparer.Ordinal))
        {
            await reverse.DropRevertStreamAsync(slot, cancellationToken).ConfigureAwait(false);
        }

        var drop = tables.SelectMany(t => t.Drop).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        await engine.DropAsync(drop, cancellationToken).ConfigureAwait(false);
        foreach (var (record, _, _) in tables)
        {
            await store.ForgetArtifactsAsync(record, cancellationToken).ConfigureAwait(false);
        }

        return drop;
    }
}
