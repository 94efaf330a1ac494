using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Runtime.Engines;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Online.Roles;
using SchemaBuild.Runtime.Sessions;

namespace SchemaBuild.Runtime.Deployment;

/// <summary>
/// Runs ghost-copy steps online through the session's <see cref="IOnlineEngine"/>: the copies of a
/// deployment (arranged by <see cref="GatedOrder"/>) are one <see cref="GhostCopyGroup"/>, so all its
/// tables swap in one cutover. Refusals (no engine, no usable key, foreign keys) are found before any
/// step runs.
/// </summary>
internal sealed class GhostCopyStepRunner : IAsyncDisposable
{
    private readonly IDatabaseSession session;
    private readonly DeployOptions options;
    private readonly ILogger logger;
    private readonly List<RevertWindow> windows = new();
    private IOnlineEngine? engine;

    public GhostCopyStepRunner(IDatabaseSession session, DeployOptions options, ILogger logger)
    {
        this.session = session;
        this.options = options;
        this.logger = logger;
    }

    /// <summary>What each ghost-copy step would do (dry run), or why it is refused; nothing is changed.</summary>
    public async Task<IReadOnlyList<GhostCopyDescription>> DescribeAsync(IEnumerable<PlanStep> steps, CancellationToken cancellationToken)
    {
        var descriptions = new List<GhostCopyDescription>();
        foreach (var step in steps.Where(s => s.Strategy == Strategy.GhostCopy))
        {
            var online = await EngineAsync(step, cancellationToken).ConfigureAwait(false);
            if (!await online.ExistsAsync(TableOf(step).Name, cancellationToken).ConfigureAwait(false))
            {
                // Created or renamed by an earlier step of the plan: described when it runs.
                continue;
            }

            try
            {
                descriptions.Add(await online.DescribeAsync(Request(step), cancellationToken).ConfigureAwait(false));
            }
            catch (GhostCopyRefusedException ex)
            {
                throw new DeploymentRefusedException($"step {step.Id} ({step.Change} {step.ObjectName}) cannot run as an online ghost copy: {ex.Message}");
            }
        }

        return descriptions;
    }

    public async Task RunAsync(string deploymentId, IReadOnlyList<PlanStep> run, CancellationToken cancellationToken)
    {
        var online = await EngineAsync(run[0], cancellationToken).ConfigureAwait(false);
        var store = new GhostCopyStore(session, options.StateTables);
        var display = options.Progress as IGhostCopyProgress;
        var group = new GhostCopyGroup(online, store, options.GhostCopy, logger, display is null ? null : display.GhostCopy, options.Progress is null ? null : options.Progress.Note);
        try
        {
            await group.RunAsync(deploymentId, run.Select(s => (s.Id, Request(s))).ToList(), cancellationToken).ConfigureAwait(false);
            LastCutoverLockHeld = group.CutoverLockHeld;
            if (group.Window is { } window)
            {
                windows.Add(window);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not StepFailedException && ex is not DeploymentCancelledException)
        {
            var step = run[0];
            throw new StepFailedException(deploymentId, step.Id,
                $"step {step.Id} ({step.Change} {step.ObjectName}, ghost-copy) failed: {ex.Message}\n"
                + "The original table keeps serving. Fix the cause, then run deploy again: the copy resumes from its checkpoint.", ex);
        }
    }

    /// <summary>
    /// Keeps the old tables of every revert window the cutovers opened in sync until each window
    /// ends (expired, completed, or reverted from another process). Cancelled, it stops holding:
    /// the windows stay open and <c>revert</c> catches up from the last checkpoint.
    /// </summary>
    public async Task HoldRevertWindowsAsync(CancellationToken cancellationToken)
    {
        if (windows.Count == 0)
        {
            return;
        }

        try
        {
            await RevertWindow.HoldAsync(windows, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            options.Progress?.Note("stopped keeping the revert window in sync; it stays open until it ends: `dotnet schema revert` catches up from the last checkpoint");
        }
    }

    /// <summary>How long writers waited at the last cutover.</summary>
    public TimeSpan LastCutoverLockHeld { get; private set; }

    public async ValueTask DisposeAsync()
    {
        if (engine is not null)
        {
            await engine.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<IOnlineEngine> EngineAsync(PlanStep step, CancellationToken cancellationToken)
    {
        try
        {
            engine ??= await OnlineEngines.CreateAsync(session, options.GhostCopy, cancellationToken).ConfigureAwait(false);
        }
        catch (GhostCopyRefusedException ex)
        {
            throw new DeploymentRefusedException($"step {step.Id} ({step.Change} {step.ObjectName}) cannot run as an online ghost copy: {ex.Message}");
        }

        return engine ?? throw new DeploymentRefusedException(GhostCopyRefusal.Message(step));
    }

    private static QualifiedName TableOf(PlanStep step) => step.Table ?? QualifiedName.Unqualified(step.ObjectName);

    private static GhostCopyRequest Request(PlanStep step) => new(TableOf(step), step.Sql) { Changes = step.Changes };
}
