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
/// Runs the ghost copies of one deployment's consecutive ghost-copy steps together, in one writer
/// loop that prefers changes over chunks: prepare every shadow, record the stream position, copy
/// chunks while applying changes, catch up, verify with the checksum, then swap every table in one
/// cutover (retried with backoff; the originals keep serving meanwhile). The checkpoint (watermark,
/// stream position, counters) is written every <see cref="GhostCopyOptions.CheckpointInterval"/>,
/// only for what is committed in the shadow, so a killed process resumes from it.
/// </summary>
internal sealed partial class GhostCopyGroup
{
    private const int MaxKeysPerBatch = 2000;
    private const int ChecksumRetries = 3;
    private const int ChecksumChunkRows = 10_000;

    private readonly IOnlineEngine engine;
    private readonly GhostCopyStore store;
    private readonly GhostCopyOptions options;
    private readonly ILogger logger;
    private readonly Action<GhostCopyProgress>? progress;
    private readonly Action<string>? note;
    private readonly string owner = $"{Environment.UserName}@{Environment.MachineName} pid {Environment.ProcessId}";
    private readonly Random random = new();
    private readonly List<GhostCopy> copies = new();
    private IChangeStream? stream;
    private string? appliedPosition;
    private Stopwatch sinceCheckpoint = Stopwatch.StartNew();
    private bool paused;

    public GhostCopyGroup(IOnlineEngine engine, GhostCopyStore store, GhostCopyOptions options, ILogger logger, Action<GhostCopyProgress>? progress, Action<string>? note)
    {
        this.engine = engine;
        this.store = store;
        this.options = options;
        this.logger = logger;
        this.progress = progress;
        this.note = note;
    }

    /// <summary>Longest time writers were blocked by the successful cutover.</summary>
    public TimeSpan CutoverLockHeld { get; private set; }

    /// <summary>The revert window the cutover opened (null: none), held after the deployment's other steps.</summary>
    public RevertWindow? Window { get; private set; }

    public async Task RunAsync(string deploymentId, IReadOnlyList<(int StepId, GhostCopyRequest Request)> members, CancellationToken cancellationToken)
    {
        try
        {
            // Prepare (shadow DDL, changelog, stream start) is timed too: it is part of the deploy's time outside the copy.
            var phase = Stopwatch.StartNew();
            await PrepareAsync(deploymentId, members, cancellationToken).ConfigureAwait(false);
            var active = copies.Where(c => c.State != GhostCopyState.Done).ToList();
            if (active.Count == 0)
            {
                return;
            }

            Phase("prepare", phase);
            await CopyAsync(cancellationToken).ConfigureAwait(false);
            Phase("copy", phase);
            await CatchUpAsync(cancellationToken).ConfigureAwait(false);
            Phase("catch-up", phase);
            await VerifyAsync(cancellationToken).ConfigureAwait(false);
            Phase("checksum", phase);
            await HoldAtGateAsync(cancellationToken).ConfigureAwait(false);
            if (options.ManualGate)
            {
                Phase("gate", phase);
            }

            await CutoverAsync(cancellationToken).ConfigureAwait(false);
            Phase("cutover", phase);
        }
        catch (DeploymentCancelledException cancelled)
        {
            await RemoveCancelledAsync(cancelled).ConfigureAwait(false);
            throw;
        }
        catch (Exception ex) when (ex is not ControlTableConflictException)
        {
            foreach (var copy in copies.Where(c => c.State != GhostCopyState.Done && GhostCopyState.CanMove(c.State, GhostCopyState.Failed)))
            {
                try
                {
                    await CheckpointAsync(copy, CancellationToken.None).ConfigureAwait(false);
                    await MoveAsync(copy, GhostCopyState.Failed, ex.Message, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception inner) when (inner is not OutOfMemoryException)
                {
                    logger.LogWarning(inner, "could not record the failure of the ghost copy of {Table}", copy.Request.Table);
                }
            }

            throw;
        }
        finally
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Phase durations, for the log and the benchmark.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Phases => phases;

    private readonly Dictionary<string, TimeSpan> phases = new(StringComparer.Ordinal);

    private void Phase(string name, Stopwatch watch)
    {
        phases[name] = watch.Elapsed;
        var copied = copies.Sum(c => c.Record.RowsCopied);
        note?.Invoke($"ghost copy of {string.Join(", ", copies.Select(c => c.Request.Table))}: {name} took {watch.Elapsed.TotalSeconds:0.0}s ({copied} rows copied, {copies.Sum(c => c.Record.EventsApplied)} changes applied, stream lag {stream?.Lag.TotalSeconds ?? 0:0.0}s)");
        watch.Restart();
    }

    private async Task PrepareAsync(string deploymentId, IReadOnlyList<(int StepId, GhostCopyRequest Request)> members, CancellationToken cancellationToken)
    {
        var fresh = new List<GhostCopy>();
        foreach (var (stepId, request) in members)
        {
            var description = await engine.DescribeAsync(request, cancellationToken).ConfigureAwait(false);
            var record = await store.EnsureAsync(
                new GhostCopyRecord(deploymentId, stepId, request.Table, GhostCopyState.Pending)
                {
                    Shadow = description.Shadow, Old = string.Empty, Changelog = string.Empty, Owner = owner, RowsEstimated = description.EstimatedRows,
                    ChunkRows = options.InitialChunkRows, Artifacts = GhostCopy.Json(new[] { description.Shadow }),
                },
                cancellationToken).ConfigureAwait(false);
            var copy = new GhostCopy(stepId, request, record with { Owner = owner });
            copies.Add(copy);
            if (copy.State == GhostCopyState.Done)
            {
                continue;
            }

            if (copy.State == GhostCopyState.CuttingOver)
            {
                // The process died during the cutover: either the swap happened (the shadow is gone) or nothing was renamed.
                var swapped = !await engine.ExistsAsync(copy.Record.Shadow, cancellationToken).ConfigureAwait(false) && await engine.ExistsAsync(copy.Record.Old, cancellationToken).ConfigureAwait(false);
                await MoveAsync(copy, swapped ? GhostCopyState.Done : GhostCopyState.InSync, null, cancellationToken).ConfigureAwait(false);
                if (swapped)
                {
                    continue;
                }
            }

            var resumable = copy.State is not (GhostCopyState.Pending or GhostCopyState.Prepared) && copy.Record.StreamPosition is not null
                && await engine.ExistsAsync(copy.Record.Shadow, cancellationToken).ConfigureAwait(false);
            if (resumable)
            {
                copy.Table = await engine.PrepareAsync(request, resume: true, cancellationToken).ConfigureAwait(false);
                if (copy.State != GhostCopyState.Failed)
                {
                    await MoveAsync(copy, GhostCopyState.Failed, "the process running the copy stopped; resumed from its checkpoint", cancellationToken).ConfigureAwait(false);
                }

                note?.Invoke($"ghost copy of {request.Table}: resuming from the checkpoint ({copy.Record.RowsCopied} rows copied, stream at {copy.Record.StreamPosition})");
                await MoveAsync(copy, GhostCopyState.ResumeAt(copy.CopyComplete), null, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await StartOverAsync(copy, cancellationToken).ConfigureAwait(false);
                fresh.Add(copy);
            }

            WireRoles(copy);
        }

        var active = copies.Where(c => c.State != GhostCopyState.Done).ToList();
        if (active.Count == 0)
        {
            return;
        }

        if (engine is IAsyncOpen open)
        {
            await open.OpenAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var copy in active)
        {
            WireRoles(copy);
        }

        await StartStreamAsync(active, fresh, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops what an earlier attempt left (recorded as this copy's artifacts) and creates the shadow again.</summary>
    private async Task StartOverAsync(GhostCopy copy, CancellationToken cancellationToken)
    {
        if (copy.State != GhostCopyState.Pending)
        {
            var leftovers = new[] { copy.Record.Shadow, copy.Record.Changelog }.Where(n => n.Length > 0).ToList();
            await engine.DropAsync(leftovers, cancellationToken).ConfigureAwait(false);
            if (copy.State != GhostCopyState.Failed && GhostCopyState.CanMove(copy.State, GhostCopyState.Failed))
            {
                await MoveAsync(copy, GhostCopyState.Failed, "restarted from the beginning", cancellationToken).ConfigureAwait(false);
            }
        }

        copy.Restart();
        copy.Table = await engine.PrepareAsync(copy.Request, resume: false, cancellationToken).ConfigureAwait(false);
        copy.Update(r => r with
        {
            Shadow = copy.Table.Shadow, Changelog = copy.Table.Changelog, Old = copy.Table.Old,
            CopyKey = GhostCopy.Json(copy.Table.KeyColumns), Artifacts = GhostCopy.Json(copy.Table.Artifacts),
        });
        await store.CheckpointAsync(copy.Record, cancellationToken).ConfigureAwait(false);
    }

    private void WireRoles(GhostCopy copy)
    {
        if (copy.Copier is not null || copy.Table is null)
        {
            return;
        }

        copy.Update(r => r with { Old = copy.Table.Old, Changelog = copy.Table.Changelog, Shadow = copy.Table.Shadow });
        copy.Sizer = new ChunkSizer(options.ChunkTime, copy.Record.ChunkRows > 0 ? copy.Record.ChunkRows : options.InitialChunkRows, options.MinChunkRows, options.MaxChunkRows);
    }

    private async Task StartStreamAsync(List<GhostCopy> active, List<GhostCopy> fresh, CancellationToken cancellationToken)
    {
        stream = engine.CreateChangeStream(active.Select(c => c.Table!).ToList());
        if (fresh.Count > 0)
        {
            // Taken before the first chunk is read: every change from here on is captured.
            var position = await stream.CurrentPositionAsync(cancellationToken).ConfigureAwait(false);
            foreach (var copy in fresh)
            {
                copy.Update(r => r with { StreamPosition = position });
                await store.CheckpointAsync(copy.Record, cancellationToken).ConfigureAwait(false);
                await MoveAsync(copy, GhostCopyState.Prepared, null, cancellationToken).ConfigureAwait(false);
                await MoveAsync(copy, GhostCopyState.Copying, null, cancellationToken).ConfigureAwait(false);
            }
        }

        var start = active.Select(c => c.Record.StreamPosition!).Aggregate((a, b) => stream.ComparePositions(a, b) <= 0 ? a : b);
        try
        {
            await stream.StartAsync(start, cancellationToken).ConfigureAwait(false);
        }
        catch (StreamPositionLostException lost)
        {
            var message = $"{lost.Message}. The copy restarts from the beginning for {string.Join(", ", active.Select(c => c.Request.Table))}.";
            logger.LogWarning("{Message}", message);
            note?.Invoke(message);
            await stream.DisposeAsync().ConfigureAwait(false);
            foreach (var copy in active)
            {
                await StartOverAsync(copy, cancellationToken).ConfigureAwait(false);
            }

            stream = engine.CreateChangeStream(active.Select(c => c.Table!).ToList());
            var position = await stream.CurrentPositionAsync(cancellationToken).ConfigureAwait(false);
            foreach (var copy in active)
            {
                copy.Update(r => r with { StreamPosition = position });
                await store.CheckpointAsync(copy.Record, cancellationToken).ConfigureAwait(false);
                await MoveAsync(copy, GhostCopyState.Prepared, null, cancellationToken).ConfigureAwait(false);
                await MoveAsync(copy, GhostCopyState.Copying, null, cancellationToken).ConfigureAwait(false);
            }

            start = position;
            await stream.StartAsync(start, cancellationToken).ConfigureAwait(false);
        }

        appliedPosition = start;
        foreach (var copy in active)
        {
            copy.Copier = engine.CreateCopier(copy.Table!);
            copy.Applier = engine.CreateApplier(copy.Table!);
            copy.Checksum = engine.CreateChecksum(copy.Table!);
            copy.StartClock();
        }
    }

    private IEnumerable<GhostCopy> Active => copies.Where(c => c.State != GhostCopyState.Done);

    private async Task CopyAsync(CancellationToken cancellationToken)
    {
        var throttler = new Throttler(engine.ThrottleProbes, options.ProbeInterval);
        var chunks = 0;
        var changesSeen = Active.Sum(c => c.Record.EventsApplied);
        Stopwatch? sinceWrite = null;
        var loop = new SectionClock();
        long? lastApply = null;
        while (Active.FirstOrDefault(c => !c.CopyComplete) is { } copy)
        {
            // Changes go in about once per chunk time (at once when a full batch waits): with small chunks under writes,
            // a transaction of a few keys before every chunk cost more than the keys.
            var started = Stopwatch.GetTimestamp();
            if (lastApply is not { } applied || Stopwatch.GetElapsedTime(applied) >= options.ChunkTime || stream!.Backlog >= MaxKeysPerBatch)
            {
                await ApplyAsync(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                lastApply = Stopwatch.GetTimestamp();
                loop.Add("apply", started);
            }

            if (Active.Sum(c => c.Record.EventsApplied) is var seen && seen != changesSeen)
            {
                changesSeen = seen;
                sinceWrite = Stopwatch.StartNew();
            }

            started = Stopwatch.GetTimestamp();
            var reason = await throttler.ReasonAsync(paused, cancellationToken).ConfigureAwait(false);
            loop.Add("throttle probes", started);
            if (reason is not null)
            {
                if (copy.Record.ThrottleReason != reason)
                {
                    note?.Invoke($"ghost copy of {copy.Request.Table}: waiting ({reason})");
                }

                foreach (var c in Active)
                {
                    c.Update(r => r with { ThrottleReason = reason });
                }

                await MaybeCheckpointAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (copy.Record.ThrottleReason is not null)
            {
                foreach (var c in Active)
                {
                    c.Update(r => r with { ThrottleReason = null });
                }
            }

            var watch = Stopwatch.StartNew();
            started = Stopwatch.GetTimestamp();
            // Under writes, smaller commits: writers' commits wait behind a chunk's (see GhostCopyOptions.MaxChunkRowsUnderWrites).
            var rows = sinceWrite is not null && sinceWrite.Elapsed < options.WritesRecently ? Math.Min(copy.Sizer!.Rows, options.MaxChunkRowsUnderWrites) : copy.Sizer!.Rows;
            var chunk = await copy.Copier!.CopyNextAsync(copy.Watermark, rows, cancellationToken).ConfigureAwait(false);
            loop.Add("chunk", started);
            if (chunk is null)
            {
                copy.Completed();
                await CheckpointAsync(copy, cancellationToken).ConfigureAwait(false);
                await MoveAsync(copy, GhostCopyState.CatchingUp, null, cancellationToken).ConfigureAwait(false);
                continue;
            }

            copy.Sizer.Record(Math.Max(1, chunk.Rows), watch.Elapsed);
            copy.Copied(chunk);
            chunks++;
            if (options.Hooks?.AfterChunk is { } hook)
            {
                await hook(copy.Request.Table, chunks, cancellationToken).ConfigureAwait(false);
            }

            started = Stopwatch.GetTimestamp();
            await MaybeCheckpointAsync(cancellationToken).ConfigureAwait(false);
            loop.Add("checkpoint", started);
        }

        // Where the copy's time went, part by part (the chunk's own parts as the copier timed them).
        note?.Invoke($"ghost copy of {string.Join(", ", copies.Select(c => c.Request.Table))}: copy loop over {chunks} chunks: {loop}"
                     + string.Concat(Active.Select(c => c.Copier).OfType<ITimedRole>().Select(t => $"; in the chunk: {t.Sections}")));

        if (options.Hooks?.AfterCopy is { } after)
        {
            await after(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Applies what the stream has delivered so far, batch after batch while batches come full (a
    /// backlog), for up to <paramref name="budget"/>: the applier goes before the next chunk, but a
    /// steady trickle of writes does not hold the copy back.
    /// </summary>
    private async Task ApplyAsync(TimeSpan budget, CancellationToken cancellationToken, object? writer = null)
    {
        var watch = Stopwatch.StartNew();
        ChangeBatch batch;
        do
        {
            batch = await stream!.ReadAsync(MaxKeysPerBatch, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            await ApplyBatchAsync(batch, writer, cancellationToken).ConfigureAwait(false);
        }
        while (batch.Keys.Values.Sum(k => k.Count) >= MaxKeysPerBatch && watch.Elapsed < budget);
    }

    /// <param name="only">When set, <paramref name="writer"/> is that copy's locked session: the other copies apply on their own sessions.</param>
    private async Task ApplyBatchAsync(ChangeBatch batch, object? writer, CancellationToken cancellationToken, GhostCopy? only = null)
    {
        foreach (var copy in Active)
        {
            if (!batch.Keys.TryGetValue(copy.Request.Table, out var keys))
            {
                continue;
            }

            var above = keys.ToLookup(copy.IsAboveWatermark);
            await copy.Applier!.ApplyAsync(above[false].ToList(), only is null || only == copy ? writer : null, cancellationToken).ConfigureAwait(false);
            if (copy.Copier is ISnapshotRowCopier snapshotCopier)
            {
                await snapshotCopier.SkippedAsync(above[true].ToList(), cancellationToken).ConfigureAwait(false);
            }
            copy.Applied(keys.Count);
        }

        if (batch.Position is not null)
        {
            appliedPosition = batch.Position;
        }
    }

    /// <summary>
    /// Writes a marker per table (only <paramref name="only"/>'s, when its locked session is the writer) and
    /// applies changes until every marker came back: all changes committed before are in the shadows.
    /// </summary>
    private Task DrainToMarkersAsync(object? writer, TimeSpan wait, CancellationToken cancellationToken, GhostCopy? only = null) =>
        MarkerDrain.RunAsync(
            stream!, (only is null ? Active : new[] { only }).Select(c => c.Table!).ToList(), MaxKeysPerBatch * 5, batch => ApplyBatchAsync(batch, writer, cancellationToken, only), writer, wait,
            "change stream", "deploy again later (it resumes), or raise --cutover-lock-wait", cancellationToken);

    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        await DrainToMarkersAsync(null, TimeSpan.FromMinutes(10), cancellationToken).ConfigureAwait(false);
        foreach (var copy in Active)
        {
            await CheckpointAsync(copy, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task VerifyAsync(CancellationToken cancellationToken)
    {
        foreach (var copy in Active.Where(c => c.State == GhostCopyState.CatchingUp).ToList())
        {
            await MoveAsync(copy, GhostCopyState.Verifying, null, cancellationToken).ConfigureAwait(false);
            RowKey? after = null;
            var differed = new List<(RowKey? After, ChecksumChunk Chunk)>();
            var compared = 0;
            var snapshot = copy.Checksum as ISnapshotChecksum;
            Task DrainLocked(object writer, CancellationToken ct) => DrainToMarkersAsync(writer, options.CutoverLockWait, ct, copy);
            if (snapshot is not null)
            {
                // What is pending goes in while writers still write: the drain with them blocked is left with the last moments' changes.
                await MarkerDrain.UntilQuickAsync(ct => DrainToMarkersAsync(null, TimeSpan.FromMinutes(1), ct), cancellationToken).ConfigureAwait(false);
            }

            var taking = Stopwatch.StartNew();
            try
            {
                if (snapshot is not null && !await snapshot.BeginSnapshotAsync(options.CutoverLockWait, DrainLocked, cancellationToken).ConfigureAwait(false))
                {
                    snapshot = null;
                }
                else if (snapshot is not null)
                {
                    note?.Invoke($"ghost copy of {copy.Request.Table}: the checksum reads one snapshot, taken in {taking.ElapsedMilliseconds} ms with writers blocked while the stream drained");
                }
            }
            catch (TimeoutException)
            {
                // The drain under the lock did not finish within the lock wait (a slow stream): the lock is released.
                snapshot = null;
            }

            if (snapshot is null && copy.Checksum is ISnapshotChecksum)
            {
                note?.Invoke($"ghost copy of {copy.Request.Table}: the checksum could not take its snapshot with writers blocked within the lock wait; comparing chunk by chunk");
            }

            // Chunk by chunk (no shared snapshot), a fixed, moderate chunk: a write committed between the last drain and a chunk's
            // snapshot makes it differ for a moment, less likely in a small one. In the shared snapshot nothing moves and nothing is
            // locked, so chunks follow the chunk time like the copy's: 10k-row chunks spent most of an idle checksum between statements.
            var sizer = snapshot is null ? null : new ChunkSizer(options.ChunkTime, ChecksumChunkRows, ChecksumChunkRows, Math.Max(ChecksumChunkRows, options.MaxChunkRows));
            try
            {
                while (true)
                {
                    await ApplyAsync(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                    var watch = Stopwatch.StartNew();
                    var chunk = await copy.Checksum!.CompareNextAsync(after, sizer?.Rows ?? ChecksumChunkRows, cancellationToken).ConfigureAwait(false);
                    if (chunk is null)
                    {
                        break;
                    }

                    sizer?.Record(Math.Max(1, chunk.Rows), watch.Elapsed);

                    compared++;
                    if (!chunk.Matches)
                    {
                        differed.Add((after, chunk));
                    }

                    after = chunk.Last;
                    await MaybeCheckpointAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch when (snapshot is not null)
            {
                // Also on an error: the snapshot's open transactions hold ACCESS SHARE on both tables, which a later DROP or cutover would wait for.
                try
                {
                    await snapshot.EndSnapshotAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    logger.LogDebug(ex, "ending the checksum's snapshot after an error failed too");
                }

                throw;
            }

            if (snapshot is not null)
            {
                await snapshot.EndSnapshotAsync(cancellationToken).ConfigureAwait(false);
            }

            // Under load most differences are changes still on their way through the stream: one drain per
            // pass settles them for every chunk at once, instead of one drain per differing chunk.
            var first = differed.Count;
            for (var pass = 0; pass < ChecksumRetries && differed.Count > 0; pass++)
            {
                await DrainToMarkersAsync(null, TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
                var still = new List<(RowKey? After, ChecksumChunk Chunk)>();
                foreach (var (start, chunk) in differed)
                {
                    if (!await copy.Checksum!.CompareAgainAsync(start, chunk.Last, cancellationToken).ConfigureAwait(false))
                    {
                        still.Add((start, chunk));
                    }
                }

                differed = still;
            }

            foreach (var (start, chunk) in differed)
            {
                await RecheckAsync(copy, start, chunk, cancellationToken).ConfigureAwait(false);
            }

            note?.Invoke($"ghost copy of {copy.Request.Table}: checksum compared {compared} chunks; {first} differed at first, {differed.Count} after draining the stream (compared with writers blocked)");
            await MoveAsync(copy, GhostCopyState.InSync, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A chunk differed: changes committed just before the snapshot are drained and it is compared
    /// again (a few times); then compared exactly with writers briefly blocked; then copied again and
    /// compared under the lock once more. A difference that survives that is a lost change: the
    /// cutover is refused. This is the only retry policy: the engines' checksums compare once.
    /// </summary>
    private async Task RecheckAsync(GhostCopy copy, RowKey? after, ChecksumChunk chunk, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= ChecksumRetries; attempt++)
        {
            await DrainToMarkersAsync(null, TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
            if (await copy.Checksum!.CompareAgainAsync(after, chunk.Last, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }

        if (await CompareLockedAsync(copy, after, chunk.Last, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        logger.LogWarning("checksum of {Table} differs for keys after {After} up to {Last} with writers blocked: copying them again", copy.Request.Table, after, chunk.Last);
        note?.Invoke($"ghost copy of {copy.Request.Table}: the checksum differs for keys after {after?.ToString() ?? "the first"} up to {chunk.Last}; copying them again");
        await copy.Copier!.RecopyAsync(after, chunk.Last, cancellationToken).ConfigureAwait(false);
        if (!await CompareLockedAsync(copy, after, chunk.Last, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException(
                $"the checksum of {copy.Request.Table} differs from its shadow for keys after {after?.ToString() ?? "the first"} up to {chunk.Last} even after copying them again with writers blocked; "
                + "the cutover is refused and the original keeps serving. Either the new definition rejects rows the original holds (a new unique key with duplicate values: find them and fix the data), or a change was not captured (report it). Deploy again to retry the copy.");
        }
    }

    /// <summary>
    /// The exact compare with writers blocked. The drain under the lock is bounded by the cutover's
    /// lock wait (writers wait for it); a stream too slow for that (a loaded server) releases the
    /// lock, catches up unlocked and tries again, a few times, before the copy stops with a reason.
    /// </summary>
    private async Task<bool> CompareLockedAsync(GhostCopy copy, RowKey? after, RowKey last, CancellationToken cancellationToken)
    {
        // Only this copy's changelog and shadow are locked by the writer session: the other copies of the group apply on their own.
        Task Drain(object writer, CancellationToken ct) => DrainToMarkersAsync(writer, options.CutoverLockWait, ct, copy);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await copy.Checksum!.CompareLockedAsync(after, last, options.CutoverLockWait, Drain, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException slow) when (attempt < ChecksumRetries)
            {
                logger.LogWarning("checksum of {Table} with writers blocked gave up ({Reason}); catching up and trying again", copy.Request.Table, slow.Message);
                await DrainToMarkersAsync(null, TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task CutoverAsync(CancellationToken cancellationToken)
    {
        // Checkpoints read a cancel request only every few seconds, and an auto gate never polls: the last look is here.
        await StopIfCancelRequestedAsync(cancellationToken).ConfigureAwait(false);
        var members = Active.ToList();
        var cutover = engine.CreateCutover();
        var window = RevertWindow.Create(engine, store, options, logger, note);
        if (window is not null)
        {
            await window.BeforeSwapAsync(members.Select(c => c.Table!).ToList(), cancellationToken).ConfigureAwait(false);
        }

        for (var attempt = 1; ; attempt++)
        {
            if (attempt > 1)
            {
                // The backoffs of ten attempts add up to minutes: a cancel meanwhile is heeded before the next one.
                await StopIfCancelRequestedAsync(cancellationToken, window is null ? null : window.AbandonAsync).ConfigureAwait(false);
            }

            await ApplyAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            foreach (var copy in members)
            {
                copy.Update(r => r with { CutoverAttempts = r.CutoverAttempts + 1 });
                await CheckpointAsync(copy, cancellationToken).ConfigureAwait(false);
                await MoveAsync(copy, GhostCopyState.CuttingOver, null, cancellationToken).ConfigureAwait(false);
            }

            var result = await cutover.SwapAsync(
                members.Select(c => c.Table!).ToList(), options.CutoverLockWait,
                (writer, ct) => DrainToMarkersAsync(writer, options.CutoverLockWait, ct),
                options.Hooks?.Cutover, cancellationToken).ConfigureAwait(false);
            if (result.Swapped)
            {
                CutoverLockHeld = result.LockHeld;
                if (window is not null)
                {
                    // The old tables stay, kept in sync in reverse, with the changelogs the reverse stream's markers use.
                    await window.OpenedAsync(members.Select(c => (c.Record, c.Table!)).ToList(), appliedPosition, cancellationToken).ConfigureAwait(false);
                    foreach (var copy in members)
                    {
                        await MoveAsync(copy, GhostCopyState.RevertWindow, null, cancellationToken).ConfigureAwait(false);
                    }

                    Window = window;
                    note?.Invoke($"cutover of {string.Join(", ", members.Select(c => c.Request.Table))}: writers waited {result.LockHeld.TotalMilliseconds:0} ms");
                    return;
                }

                foreach (var copy in members)
                {
                    await MoveAsync(copy, GhostCopyState.Done, null, cancellationToken).ConfigureAwait(false);
                    var kept = options.DropOld ? Array.Empty<string>() : new[] { copy.Table!.Old };
                    await engine.DropAsync(options.DropOld ? new[] { copy.Table!.Changelog, copy.Table.Old } : new[] { copy.Table!.Changelog }, cancellationToken).ConfigureAwait(false);
                    copy.Update(r => r with { Artifacts = GhostCopy.Json(kept), ThrottleReason = null });
                    await CheckpointAsync(copy, cancellationToken).ConfigureAwait(false);
                }

                note?.Invoke($"cutover of {string.Join(", ", members.Select(c => c.Request.Table))}: writers waited {result.LockHeld.TotalMilliseconds:0} ms" + (result.Parts is null ? string.Empty : $" ({result.PartsText} ms)")
                             + (options.DropOld ? string.Empty : $"; old tables kept as {string.Join(", ", members.Select(c => c.Table!.Old))} until `dotnet schema complete`"));
                return;
            }

            foreach (var copy in members)
            {
                await MoveAsync(copy, GhostCopyState.InSync, null, cancellationToken).ConfigureAwait(false);
            }

            var message = $"cutover attempt {attempt} of {options.CutoverAttempts} of {string.Join(", ", members.Select(c => c.Request.Table))} gave up: {result.Reason}; the originals keep serving";
            logger.LogWarning("{Message}", message);
            note?.Invoke(message);
            if (attempt >= options.CutoverAttempts)
            {
                if (window is not null)
                {
                    await window.AbandonAsync(cancellationToken).ConfigureAwait(false);
                }

                throw new TimeoutException(message + $". Deploy again later (it resumes in sync), or raise --cutover-lock-wait.");
            }

            // Backoff with jitter; changes keep flowing into the shadows meanwhile.
            var backoff = TimeSpan.FromMilliseconds(Math.Min(30_000, 500 * Math.Pow(2, attempt - 1)) * (0.5 + random.NextDouble()));
            var waited = Stopwatch.StartNew();
            while (waited.Elapsed < backoff)
            {
                await ApplyAsync(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task MaybeCheckpointAsync(CancellationToken cancellationToken)
    {
        if (sinceCheckpoint.Elapsed < options.CheckpointInterval)
        {
            return;
        }

        foreach (var copy in Active)
        {
            await CheckpointAsync(copy, cancellationToken).ConfigureAwait(false);
        }

        paused = false;
        foreach (var copy in Active)
        {
            paused |= await store.IsPausedAsync(copy.Record, cancellationToken).ConfigureAwait(false);
        }

        await StopIfCancelRequestedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The watermark is that of committed chunks and the position that of applied batches: both durable in the shadow.</summary>
    private async Task CheckpointAsync(GhostCopy copy, CancellationToken cancellationToken)
    {
        if (appliedPosition is not null && copy.State != GhostCopyState.Pending)
        {
            copy.Update(r => r with { StreamPosition = appliedPosition });
        }

        copy.Update(r => r with { Owner = owner, LagMs = (long)(stream?.Lag.TotalMilliseconds ?? 0) });
        await store.CheckpointAsync(copy.Record, cancellationToken).ConfigureAwait(false);
        sinceCheckpoint = Stopwatch.StartNew();
        progress?.Invoke(copy.Progress(stream?.Backlog ?? 0, stream?.Lag ?? TimeSpan.Zero));
    }

    private async Task MoveAsync(GhostCopy copy, string to, string? error, CancellationToken cancellationToken)
    {
        await store.MoveAsync(copy.Record, to, error, cancellationToken).ConfigureAwait(false);
        copy.Moved(to, error);
        logger.LogInformation("ghost copy of {Table}: {State}", copy.Request.Table, to);
        progress?.Invoke(copy.Progress(stream?.Backlog ?? 0, stream?.Lag ?? TimeSpan.Zero));
    }
}

/// <summary>An engine that opens its working sessions before the roles are created.</summary>
internal interface IAsyncOpen
{
    Task OpenAsync(CancellationToken cancellationToken);
}
