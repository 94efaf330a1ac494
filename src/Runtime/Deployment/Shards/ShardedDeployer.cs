using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SchemaBuild.Core.Planning;
using SchemaBuild.Runtime.Engines;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Sessions;
using SchemaBuild.Runtime.State;

namespace SchemaBuild.Runtime.Deployment.Shards;

/// <summary>
/// Applies one plan to several databases of one engine (docs/deploy.md, "Shards"): a
/// <see cref="Deployer"/> per shard, all under one deployment id, with bulk copies limited per server,
/// and a <see cref="CutoverBarrier"/> so the ghost copies of every shard wait at their gate until all
/// are in sync, whatever the gate mode; then every shard gets the approval (auto, or the one a person
/// gave on any shard) and the barrier releases them together. A shard that fails is retried, resuming
/// from its checkpoints, while the others wait at the gate; a cancel on any shard cancels them all.
/// </summary>
public sealed class ShardedDeployer
{
    private static readonly TimeSpan MonitorPoll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan SignalPoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan WaitingReport = TimeSpan.FromSeconds(15);

    private readonly ILogger logger;

    public ShardedDeployer(ILogger<ShardedDeployer>? logger = null) => this.logger = (ILogger?)logger ?? NullLogger.Instance;

    public async Task<ShardedDeploymentResult> DeployAsync(Plan plan, IReadOnlyList<ShardTarget> shards, DeployOptions options, ShardDeployOptions shardOptions, CancellationToken cancellationToken = default)
    {
        ShardTargetsFile.Validate(shards, "--targets");
        if (options.DryRun)
        {
            var dry = new List<ShardResult>();
            foreach (var shard in shards)
            {
                await using var session = await DatabaseSessions.OpenAsync(shard.Connection, shardOptions.CommandTimeout, cancellationToken).ConfigureAwait(false);
                dry.Add(new ShardResult(shard, await new Deployer().DeployAsync(plan, session, ShardOptions(shard, options, shardOptions, null, null), cancellationToken).ConfigureAwait(false)));
            }

            return new ShardedDeploymentResult(dry.Select(r => r.Result.DeploymentId).FirstOrDefault(id => id is not null) ?? string.Empty, dry, Array.Empty<CutoverSpread>());
        }

        var run = new Run(this, plan, shards, options, shardOptions, await DeploymentIdAsync(plan, shards, options, shardOptions, cancellationToken).ConfigureAwait(false));
        return await run.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The id of an unfinished deployment of this plan on any shard (a resumed deployment keeps it), else a new one.</summary>
    private static async Task<string> DeploymentIdAsync(Plan plan, IReadOnlyList<ShardTarget> shards, DeployOptions options, ShardDeployOptions shardOptions, CancellationToken cancellationToken)
    {
        var fingerprint = PlanFingerprint.Compute(PlanVerifier.Verify(plan));
        foreach (var shard in shards)
        {
            await using var session = await DatabaseSessions.OpenAsync(shard.Connection, shardOptions.CommandTimeout, cancellationToken).ConfigureAwait(false);
            var store = new DeploymentStateStore(session, options.StateTables);
            if (await store.ExistsAsync(cancellationToken).ConfigureAwait(false) && await store.FindUnfinishedAsync(fingerprint, cancellationToken).ConfigureAwait(false) is { } unfinished)
            {
                return unfinished.DeploymentId;
            }
        }

        return Deployer.NewDeploymentId();
    }

    private static DeployOptions ShardOptions(ShardTarget shard, DeployOptions options, ShardDeployOptions shardOptions, string? deploymentId, Run? run)
    {
        var progress = shardOptions.ProgressFor?.Invoke(shard.Name);
        var shaped = options with
        {
            DeploymentId = deploymentId,
            Progress = run is null ? progress : new ShardProgress(shard.Name, progress, run.Swapped),
            Reconnect = ct => DatabaseSessions.OpenAsync(shard.Connection, shardOptions.CommandTimeout, ct),
            GhostCopy = run is null ? options.GhostCopy : options.GhostCopy with { CutoverBarrier = (gate, approved, _) => Task.FromResult(run.Barrier.Poll(shard.Name, gate, approved)) },
        };
        return shardOptions.ForShard?.Invoke(shard.Name, shaped) ?? shaped;
    }

    /// <summary>One sharded deployment in this process: the shards' deploys, their copy slots, and the monitor that opens the barrier.</summary>
    private sealed class Run
    {
        private readonly ShardedDeployer owner;
        private readonly Plan plan;
        private readonly IReadOnlyList<ShardTarget> shards;
        private readonly DeployOptions options;
        private readonly ShardDeployOptions shardOptions;
        private readonly string deploymentId;
        private readonly Dictionary<string, SemaphoreSlim> servers;
        private readonly ConcurrentDictionary<string, CopySlot> slots = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, long> swapped = new(StringComparer.Ordinal);
        private readonly List<CutoverSpread> cutovers = new();
        private readonly Dictionary<string, IDatabaseSession> monitors = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, int> failuresAfterSwap = new(StringComparer.Ordinal);

        // Each shard's own stop: a shard that gives up stops only the shards that would wait for it at a gate forever.
        private readonly Dictionary<string, CancellationTokenSource> shardStops = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, int> stoppedAtGate = new(StringComparer.Ordinal);
        private string? gaveUpShard;
        private long firstArrival;
        private long released;
        private int releasedShards;

        public Run(ShardedDeployer owner, Plan plan, IReadOnlyList<ShardTarget> shards, DeployOptions options, ShardDeployOptions shardOptions, string deploymentId)
        {
            this.owner = owner;
            this.plan = plan;
            this.shards = shards;
            this.options = options;
            this.shardOptions = shardOptions;
            this.deploymentId = deploymentId;
            servers = shards.Select(s => s.Server).Distinct(StringComparer.Ordinal)
                .ToDictionary(s => s, _ => new SemaphoreSlim(Math.Max(1, shardOptions.ParallelPerServer)), StringComparer.Ordinal);
            Barrier = new CutoverBarrier(shards.Select(s => s.Name));
            Barrier.Arrived += Arrived;
        }

        public CutoverBarrier Barrier { get; }

        public async Task<ShardedDeploymentResult> ExecuteAsync(CancellationToken cancellationToken)
        {
            Note($"deployment {deploymentId}: {plan.Steps.Count} step(s) on {shards.Count} shard(s) ({string.Join(", ", shards.Select(s => s.Name))}); "
                 + $"at most {Math.Max(1, shardOptions.ParallelPerServer)} copying per server; the cutover waits until every shard is in sync");
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

            // A shard that gives up (failing again and again after others swapped) stops the ones waiting for it at a gate; the others finish their run.
            foreach (var shard in shards)
            {
                shardStops[shard.Name] = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            }

            var deploys = shards.ToDictionary(s => s.Name, s => Task.Run(() => RunShardAsync(s, shardStops[s.Name].Token), shardStops[s.Name].Token), StringComparer.Ordinal);
            var monitor = Task.Run(() => MonitorAsync(stop.Token), stop.Token);
            try
            {
                await Task.WhenAll(deploys.Values.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
            }
            finally
            {
                await stop.CancelAsync().ConfigureAwait(false);
                try
                {
                    await monitor.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // The monitor ends with the deploys.
                }

                foreach (var session in monitors.Values)
                {
                    await session.DisposeAsync().ConfigureAwait(false);
                }

                foreach (var stopShard in shardStops.Values)
                {
                    stopShard.Dispose();
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            var failures = deploys.Where(d => d.Value.IsFaulted).Select(d => (Shard: d.Key, Error: d.Value.Exception!.GetBaseException().Message)).ToList();
            var stopped = deploys.Where(d => d.Value.IsCanceled).Select(d => (Shard: d.Key, Error: stoppedAtGate.TryGetValue(d.Key, out var gate)
                ? $"stopped at the gate of step {gate}, resumable: it waited there for {gaveUpShard}, which gave up"
                : gaveUpShard is null
                    ? $"stopped, resumable: {d.Value.Exception?.GetBaseException().Message ?? "its deploy was cancelled"}"
                    : $"stopped, resumable: a shard it waited for ({gaveUpShard}) gave up")).ToList();
            if (failures.Count + stopped.Count > 0)
            {
                // Every shard's true state: failed (with its cause), stopped at a gate, or finished its deploy.
                var finished = deploys.Where(d => d.Value.IsCompletedSuccessfully).Select(d => (Shard: d.Key, Error: "finished its deploy: on the new schema"));
                var cancelled = Barrier.Cancelled;
                throw new DeploymentRefusedException(
                    $"deployment {deploymentId} {(cancelled ? "was cancelled" : "failed")} on {failures.Count} of {shards.Count} shard(s){(stopped.Count > 0 ? $", stopped on {stopped.Count}" : string.Empty)}:\n  "
                    + string.Join("\n  ", failures.Concat(stopped).Concat(finished).Select(f => $"[{f.Shard}] {f.Error}"))
                    + (cancelled
                        ? swapped.IsEmpty
                            ? "\nNo shard cut over; the original tables are untouched. The next deploy starts a new deployment."
                            : $"\nShards on the new schema: {string.Join(", ", swapped.Keys.Order(StringComparer.Ordinal))}; the cancelled shard(s) keep the old one (their shadows are removed). Deploy the plan again to bring them to the new schema."
                        : swapped.IsEmpty
                            ? $"\nNo shard cut over past a failed one. Fix the cause and run deploy --targets again (every shard resumes from its checkpoints), or cancel with 'dotnet schema cancel --targets FILE --deployment {deploymentId}'."
                            : $"\nShards on the new schema: {string.Join(", ", swapped.Keys.Order(StringComparer.Ordinal))}; the failed shard(s) are not. Fix the cause and run deploy --targets again: the failed shards resume from their checkpoints and cut over (their approval is recorded)."));
            }

            return new ShardedDeploymentResult(deploymentId, shards.Select(s => new ShardResult(s, deploys[s.Name].Result)).ToList(), cutovers);
        }

        /// <summary>Progress: a shard's tables swapped (the first report per shard per release counts for the spread).</summary>
        public void Swapped(string shard)
        {
            if (Interlocked.Read(ref released) == 0 || !swapped.TryAdd(shard, Stopwatch.GetTimestamp()))
            {
                return;
            }

            if (swapped.Count < Volatile.Read(ref releasedShards))
            {
                return;
            }

            var first = swapped.MinBy(s => s.Value);
            var last = swapped.MaxBy(s => s.Value);
            var spread = new CutoverSpread(Stopwatch.GetElapsedTime(first.Value, last.Value), first.Key, last.Key, swapped.Count, Stopwatch.GetElapsedTime(Interlocked.Read(ref firstArrival), Interlocked.Read(ref released)));
            lock (cutovers)
            {
                cutovers.Add(spread);
            }

            Note($"deployment {deploymentId}: cut over on all {spread.Shards} shard(s); cutover spread {spread.Spread.TotalMilliseconds:0} ms (first {spread.First}, last {spread.Last}); "
                 + $"the first shard ready waited {spread.HeldAtGate.TotalSeconds:0.0}s at the gate for the others");
        }

        private async Task<DeploymentResult> RunShardAsync(ShardTarget shard, CancellationToken cancellationToken)
        {
            while (true)
            {
                var slot = new CopySlot(servers[shard.Server]);
                slots[shard.Name] = slot;
                try
                {
                    await slot.AcquireAsync(cancellationToken).ConfigureAwait(false);
                    await using var session = await DatabaseSessions.OpenAsync(shard.Connection, shardOptions.CommandTimeout, cancellationToken).ConfigureAwait(false);
                    var result = await new Deployer().DeployAsync(plan, session, ShardOptions(shard, options, shardOptions, deploymentId, this), cancellationToken).ConfigureAwait(false);
                    Barrier.Finished(shard.Name);
                    return result;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
                {
                    slot.Release();
                    if (ex.InnerException is DeploymentCancelledException || Barrier.Cancelled)
                    {
                        Barrier.Cancel();
                        Barrier.Finished(shard.Name);
                        await RemoveLeftoversAsync(shard, cancellationToken).ConfigureAwait(false);
                        throw;
                    }

                    var message = shard.Connection.RedactedMessage(ex);
                    Barrier.Failed(shard.Name, message);
                    owner.logger.LogError(ex, "shard {Shard} of deployment {DeploymentId} failed", shard.Name, deploymentId);
                    Note($"[{shard.Name}] failed: {message}");
                    if (!await WaitToRetryAsync(shard, cancellationToken).ConfigureAwait(false))
                    {
                        throw;
                    }
                }
                finally
                {
                    slot.Release();
                }
            }
        }

        /// <summary>
        /// Waits to run a failed shard again: true when it should (the others are held at the gate for it),
        /// false when nobody waits for it any more (every unfinished shard failed) or the deployment was cancelled.
        /// </summary>
        private async Task<bool> WaitToRetryAsync(ShardTarget shard, CancellationToken cancellationToken)
        {
            if (!swapped.IsEmpty)
            {
                // A failure that repeats after the others swapped is most likely deterministic: retried a bounded number of times, then the deploy ends.
                var failures = failuresAfterSwap.AddOrUpdate(shard.Name, 1, (_, n) => n + 1);
                if (failures > shardOptions.RetriesAfterCutover)
                {
                    Note($"[{shard.Name}] gave up after {failures} failed runs while other shards already cut over ({string.Join(", ", swapped.Keys.Order(StringComparer.Ordinal))}): "
                         + $"this shard stays on the old schema; the shards waiting for it at a gate stop there, the others finish their run, then the deploy ends. Fix the cause (its last error is above and in 'dotnet schema status --targets FILE --deployment {deploymentId}'), "
                         + "then run deploy --targets again: it resumes from its checkpoints and cuts over (its approval is recorded)");
                    await GiveUpAsync(shard.Name).ConfigureAwait(false);
                    return false;
                }

                Note($"[{shard.Name}] other shards already cut over ({string.Join(", ", swapped.Keys.Order(StringComparer.Ordinal))}): this shard runs again every {shardOptions.RetryInterval.TotalSeconds:0}s from its checkpoints until it cuts over too "
                     + $"(retry {failures} of {shardOptions.RetriesAfterCutover}); fix the cause");
            }
            else if (Barrier.AnyHealthyUnfinished)
            {
                Note($"[{shard.Name}] every shard is held at the gate until it is in sync too: fix the cause (it runs again every {shardOptions.RetryInterval.TotalSeconds:0}s and resumes from its checkpoints), "
                     + $"or cancel the whole deployment with 'dotnet schema cancel --targets FILE --deployment {deploymentId}'");
            }

            var waited = Stopwatch.StartNew();
            while (waited.Elapsed < shardOptions.RetryInterval)
            {
                // Once another shard has swapped this one must follow, so it keeps being retried even when nobody else waits.
                if (!Barrier.AnyHealthyUnfinished && swapped.IsEmpty)
                {
                    return false;
                }

                if (Barrier.Cancelled)
                {
                    Barrier.Finished(shard.Name);
                    await RemoveLeftoversAsync(shard, cancellationToken).ConfigureAwait(false);
                    return false;
                }

                // Another shard gave up: the deploy ends, this one with its own failure (the next deploy resumes it).
                if (Volatile.Read(ref gaveUpShard) is not null)
                {
                    return false;
                }

                await Task.Delay(MonitorPoll, cancellationToken).ConfigureAwait(false);
            }

            Barrier.Retrying(shard.Name);
            Note($"[{shard.Name}] running again");
            return true;
        }

        /// <summary>
        /// A shard gave up: the shards waiting at a gate now would wait for it forever, so they stop (resumable, their
        /// copies stay in sync until the process ends); a shard still copying or running the steps after its cutover
        /// finishes that run, and is stopped when it reaches a gate (<see cref="Arrived"/>), or finishes its deploy.
        /// </summary>
        private async Task GiveUpAsync(string shard)
        {
            Interlocked.CompareExchange(ref gaveUpShard, shard, null);
            foreach (var (waiting, gate) in Barrier.Waiting)
            {
                await StopAtGateAsync(waiting, gate).ConfigureAwait(false);
            }
        }

        private async Task StopAtGateAsync(string shard, int gate)
        {
            if (stoppedAtGate.TryAdd(shard, gate))
            {
                Note($"[{shard}] stopped at the gate of step {gate}: {gaveUpShard} gave up, so this gate cannot open in this deploy; it resumes from its checkpoints on the next");
                await shardStops[shard].CancelAsync().ConfigureAwait(false);
            }
        }

        /// <summary>A cancelled deployment: what a failed shard's copies left (shadows, changelogs, slots) is removed, as <c>cancel</c> does.</summary>
        private async Task RemoveLeftoversAsync(ShardTarget shard, CancellationToken cancellationToken)
        {
            try
            {
                await using var session = await DatabaseSessions.OpenAsync(shard.Connection, shardOptions.CommandTimeout, cancellationToken).ConfigureAwait(false);
                var outcome = await DeploymentGate.CancelAsync(session, options, deploymentId, "cancel of the sharded deployment", TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
                if (outcome.Removed.Count > 0)
                {
                    Note($"[{shard.Name}] cancelled: removed {string.Join(", ", outcome.Removed)}");
                }
            }
            catch (DeploymentRefusedException ex)
            {
                // Nothing recorded on this shard, or already removed by the cancel itself.
                owner.logger.LogDebug(ex, "nothing to cancel on shard {Shard}", shard.Name);
            }
        }

        private void Arrived(string shard, int gate)
        {
            if (Volatile.Read(ref gaveUpShard) is not null && !Barrier.IsOpen(gate))
            {
                // Nobody opens this gate any more: the shard it would wait for gave up.
                _ = StopAtGateAsync(shard, gate);
                return;
            }

            Interlocked.CompareExchange(ref firstArrival, Stopwatch.GetTimestamp(), 0);
            if (slots.TryGetValue(shard, out var slot))
            {
                // In sync at the gate: the next shard of this server may copy.
                slot.Release();
            }

            var waiting = Barrier.NotWaiting;
            Note($"[{shard}] in sync at the gate" + (waiting.Count == 0 ? string.Empty : $"; waiting for {string.Join(", ", waiting.Select(w => w.Shard))}"));
        }

        /// <summary>
        /// Opens the barrier once every shard waits at the gate (auto gate: at once; manual: when the
        /// cutover is approved on any shard), and propagates a cancel requested on any shard to all.
        /// </summary>
        private async Task MonitorAsync(CancellationToken cancellationToken)
        {
            var signals = Stopwatch.StartNew();
            var report = Stopwatch.StartNew();
            var announced = false;
            var cancelWritten = false;
            var cancelAnnounced = false;
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(MonitorPoll, cancellationToken).ConfigureAwait(false);
                GateSignal? signal = null;
                if (signals.Elapsed >= SignalPoll || Barrier.GateToOpen is not null || (Barrier.Cancelled && !cancelWritten))
                {
                    signal = await SignalsAsync(cancellationToken).ConfigureAwait(false);
                    signals.Restart();
                }

                // A shard's own deploy may see the cancel before this loop does (and set the barrier's flag):
                // the request is still written to every shard, again until every write succeeded, or the
                // shards waiting at their gate would wait forever.
                if (!cancelWritten && (signal?.CancelRequested == true || Barrier.Cancelled))
                {
                    var requestedBy = signal?.CancelRequestedBy ?? "cancel of the sharded deployment";
                    Barrier.Cancel();
                    if (!cancelAnnounced)
                    {
                        Note($"deployment {deploymentId}: cancel requested by {requestedBy}: cancelling it on every shard");
                        cancelAnnounced = true;
                    }

                    cancelWritten = await ForEachShardAsync((store, ct) => store.RequestCancelAsync(deploymentId, requestedBy, ct), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (Barrier.Cancelled)
                {
                    continue;
                }

                if (Barrier.GateToOpen is not { } gate)
                {
                    if (report.Elapsed >= WaitingReport && Barrier.NotWaiting is { Count: > 0 } behind && Volatile.Read(ref firstArrival) != 0)
                    {
                        Note($"deployment {deploymentId}: held at the gate for {string.Join(", ", behind.Select(b => b.Failure is null ? b.Shard : $"{b.Shard} (failed: {b.Failure})"))}");
                        report.Restart();
                    }

                    continue;
                }

                var approver = options.GhostCopy.ManualGate ? signal?.ApprovedBy : $"auto (all {shards.Count} shards in sync)";
                if (approver is null)
                {
                    if (!announced)
                    {
                        Note($"deployment {deploymentId} is ready on all {shards.Count} shards: approve the cutover with 'dotnet schema cutover --targets FILE --deployment {deploymentId}' "
                             + $"(or on any one shard), or cancel with 'dotnet schema cancel --targets FILE --deployment {deploymentId}'");
                        announced = true;
                    }

                    continue;
                }

                await ReleaseAsync(approver, gate, cancellationToken).ConfigureAwait(false);
                announced = false;
            }
        }

        /// <summary>Every shard gets the approval, has a moment to read it at its gate, then the barrier lets through all that wait at <paramref name="gate"/>.</summary>
        private async Task ReleaseAsync(string approver, int gate, CancellationToken cancellationToken)
        {
            if (!await ForEachShardAsync((store, ct) => store.ApproveAsync(deploymentId, approver, ct), cancellationToken).ConfigureAwait(false))
            {
                // A shard without the approval would never pass its gate: nobody goes until every shard has it (tried again next poll).
                Note($"deployment {deploymentId}: the approval could not be written on every shard; trying again");
                return;
            }

            await Task.Delay(shardOptions.ApprovalSettle, cancellationToken).ConfigureAwait(false);
            if (Barrier.GateToOpen != gate)
            {
                // A shard failed in the meantime: nobody goes.
                return;
            }

            // The spread of this gate's cutover counts the shards released here. A shard that fails between this release and
            // its swap later passes the open gate on its own; the spread then runs until it follows.
            var count = Barrier.WaitingAt(gate);
            swapped.Clear();
            Volatile.Write(ref releasedShards, count);
            Interlocked.Exchange(ref released, Stopwatch.GetTimestamp());
            Barrier.Open(gate);
            Note($"deployment {deploymentId}: every shard is in sync; cutover approved by {approver}: cutting over the gate of step {gate} on {count} shard(s)"
                 + (count < shards.Count - Barrier.FinishedCount ? " (the others are past it, waiting at a later gate)" : string.Empty));
        }

        /// <summary>The gate signals of every shard folded into one: approved when approved on any, cancel requested when requested on any.</summary>
        private async Task<GateSignal?> SignalsAsync(CancellationToken cancellationToken)
        {
            string? approvedBy = null;
            DateTimeOffset? approvedAt = null;
            string? cancelBy = null;
            await ForEachShardAsync(
                async (store, ct) =>
                {
                    var signal = await store.ReadGateAsync(deploymentId, ct).ConfigureAwait(false);
                    approvedBy ??= signal.ApprovedBy;
                    approvedAt ??= signal.ApprovedAt;
                    cancelBy ??= signal.CancelRequestedBy;
                    return 0L;
                },
                cancellationToken).ConfigureAwait(false);
            return new GateSignal(approvedBy, approvedAt, cancelBy);
        }

        /// <summary>
        /// Runs an action on each shard's control table through the monitor's own session (reopened after an
        /// error, which is logged and skipped): true when it ran on every shard.
        /// </summary>
        private async Task<bool> ForEachShardAsync(Func<GhostCopyStore, CancellationToken, Task<long>> action, CancellationToken cancellationToken)
        {
            var everywhere = true;
            foreach (var shard in shards)
            {
                try
                {
                    if (!monitors.TryGetValue(shard.Name, out var session))
                    {
                        session = await DatabaseSessions.OpenAsync(shard.Connection, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
                        monitors[shard.Name] = session;
                    }

                    var store = new GhostCopyStore(session, options.StateTables);
                    if (await store.ExistsAsync(cancellationToken).ConfigureAwait(false))
                    {
                        await action(store, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException && ex is not OutOfMemoryException)
                {
                    everywhere = false;
                    owner.logger.LogWarning("could not reach the gate of shard {Shard}: {Message}", shard.Name, shard.Connection.RedactedMessage(ex));
                    if (monitors.Remove(shard.Name, out var broken))
                    {
                        await broken.DisposeAsync().ConfigureAwait(false);
                    }
                }
            }

            return everywhere;
        }

        private void Note(string message)
        {
            owner.logger.LogInformation("{Message}", message);
            shardOptions.Note?.Invoke(message);
        }
    }

    /// <summary>A shard's place among the copies of its server: released once, when it is in sync at the gate or its deploy ends.</summary>
    private sealed class CopySlot
    {
        private readonly SemaphoreSlim server;
        private int state;

        public CopySlot(SemaphoreSlim server) => this.server = server;

        public async Task AcquireAsync(CancellationToken cancellationToken)
        {
            await server.WaitAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref state, 1);
        }

        public void Release()
        {
            if (Interlocked.CompareExchange(ref state, 2, 1) == 1)
            {
                server.Release();
            }
        }
    }
}
