using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Online.Roles;
using SchemaBuild.Runtime.State;

namespace SchemaBuild.Runtime.Online;

/// <summary>
/// The old tables of one cutover kept in sync from the new ones: the reversed tables (live table →
/// old table, through the reverse mapping), their appliers and the reverse change stream, started
/// from the position stored with the window. Used by the deploy that holds the window and by
/// <c>revert</c>, in whichever process runs it.
/// </summary>
internal sealed class ReverseSync : IAsyncDisposable
{
    private const int MaxKeysPerBatch = 2000;

    private readonly IOnlineEngine engine;
    private readonly IRevertEngine reverse;
    private readonly GhostCopyStore store;
    private readonly RevertWindowStore windows;
    private readonly string owner;
    private IChangeStream? stream;
    private string? appliedPosition;

    private ReverseSync(IOnlineEngine engine, GhostCopyStore store, string owner)
    {
        this.engine = engine;
        reverse = (IRevertEngine)engine;
        this.store = store;
        windows = new RevertWindowStore(store);
        this.owner = owner;
    }

    /// <summary>The tables of this window, as stored and as prepared.</summary>
    public List<Member> Members { get; } = new();

    /// <summary>The reverse stream's slot (PostgreSQL), shared by the tables of one cutover.</summary>
    public string? Slot => Members[0].Window.Slot;

    /// <summary>Prepares the reversed tables (the engine may rename the old table for its cutover, recorded here) and starts the stream at the stored position.</summary>
    public static async Task<ReverseSync> OpenAsync(IOnlineEngine engine, GhostCopyStore store, IReadOnlyList<(GhostCopyRecord Record, RevertTable Window)> tables, string owner, CancellationToken cancellationToken)
    {
        var sync = new ReverseSync(engine, store, owner);
        try
        {
            if (engine is IAsyncOpen open)
            {
                await open.OpenAsync(cancellationToken).ConfigureAwait(false);
            }

            foreach (var (record, window) in tables)
            {
                var reversed = await sync.reverse.PrepareRevertAsync(window, cancellationToken).ConfigureAwait(false);
                var member = new Member(record, window with { Old = reversed.Shadow }, reversed, engine.CreateApplier(reversed));
                if (reversed.Shadow != window.Old)
                {
                    member.Record = member.Record with { Old = reversed.Shadow, Artifacts = GhostCopy.Json(new[] { reversed.Shadow, window.Changelog }) };
                    await store.CheckpointAsync(member.Record, cancellationToken).ConfigureAwait(false);
                    await sync.windows.SaveAsync(member.Record, member.Window, cancellationToken).ConfigureAwait(false);
                }

                sync.Members.Add(member);
            }

            sync.stream = sync.reverse.CreateRevertStream(sync.Members.Select(m => m.Reversed).ToList(), sync.Slot);
            var start = sync.Members.Select(m => m.Record.StreamPosition).Where(p => p is not null).Select(p => p!).ToList();
            if (start.Count == 0)
            {
                throw new InvalidOperationException($"the revert window of {string.Join(", ", tables.Select(t => t.Window.Table))} has no stream position recorded; it cannot be kept in sync. Run `dotnet schema complete` to end it.");
            }

            sync.appliedPosition = start.Aggregate((a, b) => sync.stream.ComparePositions(a, b) <= 0 ? a : b);
            await sync.stream.StartAsync(sync.appliedPosition, cancellationToken).ConfigureAwait(false);
            return sync;
        }
        catch
        {
            await sync.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Applies what the stream delivered, waiting up to <paramref name="wait"/> for the first change; returns the changes applied.</summary>
    public async Task<long> ApplyAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var batch = await stream!.ReadAsync(MaxKeysPerBatch, wait, cancellationToken).ConfigureAwait(false);
        return await ApplyBatchAsync(batch, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a marker per table and applies changes until every marker came back: everything committed before is in the old tables.</summary>
    public Task DrainAsync(object? writer, TimeSpan wait, CancellationToken cancellationToken) =>
        MarkerDrain.RunAsync(
            stream!, Members.Select(m => m.Reversed).ToList(), MaxKeysPerBatch * 5, batch => ApplyBatchAsync(batch, writer, cancellationToken), writer, wait,
            "reverse change stream", "run revert again while the window is open, or raise --cutover-lock-wait", cancellationToken);

    /// <summary>Records the reverse stream's position (only what is applied) and liveness.</summary>
    public async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        foreach (var member in Members)
        {
            member.Record = member.Record with { StreamPosition = appliedPosition ?? member.Record.StreamPosition, Owner = owner };
            await store.CheckpointAsync(member.Record, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The states the control table holds now for these tables (another process may have taken them).</summary>
    public async Task<IReadOnlyList<string>> StatesAsync(CancellationToken cancellationToken)
    {
        var states = new List<string>();
        foreach (var member in Members)
        {
            var row = await store.GetAsync(member.Record.DeploymentId, member.Record.StepId, member.Record.Table, cancellationToken).ConfigureAwait(false);
            states.Add(row?.State ?? GhostCopyState.Cancelled);
        }

        return states;
    }

    /// <summary>Swaps back with the engine's cutover (writers blocked, stream drained on the locking session, names swapped); retried with backoff.</summary>
    public async Task<CutoverResult> SwapBackAsync(GhostCopyOptions options, Action<string>? note, CancellationToken cancellationToken)
    {
        var cutover = engine.CreateCutover();
        var random = new Random();
        for (var attempt = 1; ; attempt++)
        {
            await ApplyAsync(TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            var result = await cutover.SwapAsync(
                Members.Select(m => m.Reversed).ToList(), options.CutoverLockWait,
                (writer, ct) => DrainAsync(writer, options.CutoverLockWait, ct), options.Hooks?.Cutover, cancellationToken).ConfigureAwait(false);
            if (result.Swapped || attempt >= options.CutoverAttempts)
            {
                return result;
            }

            note?.Invoke($"revert attempt {attempt} of {options.CutoverAttempts} of {string.Join(", ", Members.Select(m => m.Window.Table))} gave up: {result.Reason}; the new tables keep serving");
            var backoff = TimeSpan.FromMilliseconds(Math.Min(30_000, 500 * Math.Pow(2, attempt - 1)) * (0.5 + random.NextDouble()));
            var waited = Stopwatch.StartNew();
            while (waited.Elapsed < backoff)
            {
                await ApplyAsync(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Stops reading; the stream's resources stay (another process continues from the stored position).</summary>
    public async ValueTask DisposeAsync()
    {
        if (stream is not null)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            stream = null;
        }

        await reverse.DetachRevertStreamAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private async Task<long> ApplyBatchAsync(ChangeBatch batch, object? writer, CancellationToken cancellationToken)
    {
        long applied = 0;
        foreach (var member in Members)
        {
            if (batch.Keys.TryGetValue(member.Reversed.Original, out var keys))
            {
                await member.Applier.ApplyAsync(keys, writer, cancellationToken).ConfigureAwait(false);
                member.Record = member.Record with { EventsApplied = member.Record.EventsApplied + keys.Count };
                applied += keys.Count;
            }
        }

        if (batch.Position is not null)
        {
            appliedPosition = batch.Position;
        }

        return applied;
    }

    /// <summary>One table of the window: its control-table row, what the window stored, the reversed table and its applier.</summary>
    internal sealed class Member
    {
        public Member(GhostCopyRecord record, RevertTable window, GhostCopyTable reversed, IChangeApplier applier)
        {
            Record = record;
            Window = window;
            Reversed = reversed;
            Applier = applier;
        }

        public GhostCopyRecord Record { get; set; }

        public RevertTable Window { get; }

        public GhostCopyTable Reversed { get; }

        public IChangeApplier Applier { get; }
    }
}
