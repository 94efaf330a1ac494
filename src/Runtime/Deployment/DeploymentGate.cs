using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Engines;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Sessions;
using SchemaBuild.Runtime.State;

namespace SchemaBuild.Runtime.Deployment;

/// <summary>
/// Operates a deployment held at the gate from any process, through the control tables only:
/// <c>dotnet schema cutover</c> records the approval that the process running the deployment acts
/// on; <c>dotnet schema cancel</c> asks it to stop and remove its shadows, or removes them itself
/// when no process runs the deployment any more.
/// </summary>
public static class DeploymentGate
{
    /// <summary>A checkpoint older than this means the process that ran the copy is gone.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);

    /// <summary>Every copy is cut over (the deployment's tables serve the new definition).</summary>
    public static bool CutOver(IReadOnlyCollection<GhostCopyRecord> copies) => copies.Count > 0 && copies.All(c => c.State is GhostCopyState.Done or GhostCopyState.RevertWindow);

    /// <summary>Every copy is in sync and held at the gate (or already past it): the deployment is ready to cut over.</summary>
    public static bool Ready(IReadOnlyCollection<GhostCopyRecord> copies) => copies.Count > 0 && copies.All(c => c.State is GhostCopyState.InSync or GhostCopyState.CuttingOver || CutOver(new[] { c }));

    /// <summary>Some copy was cancelled: the deployment will not cut over.</summary>
    public static bool Stopped(IReadOnlyCollection<GhostCopyRecord> copies) => copies.Any(c => c.State == GhostCopyState.Cancelled);

    /// <summary>Some copy is being or was swapped back (<c>dotnet schema revert</c>).</summary>
    public static bool Reverted(IReadOnlyCollection<GhostCopyRecord> copies) => copies.Any(c => c.State is GhostCopyState.Reverting or GhostCopyState.Reverted);

    /// <summary>Records the approval of the deployment's cutover (the first approval is kept). Returns the copies as they are now.</summary>
    public static async Task<IReadOnlyList<GhostCopyRecord>> ApproveAsync(IDatabaseSession session, StateTableNames names, string deploymentId, string approvedBy, CancellationToken cancellationToken)
    {
        var copies = await CopiesAsync(session, names, deploymentId, cancellationToken).ConfigureAwait(false);
        if (CutOver(copies))
        {
            return copies;
        }

        if (Stopped(copies) || Reverted(copies))
        {
            throw new DeploymentRefusedException($"deployment {deploymentId} was {(Stopped(copies) ? "cancelled" : "reverted")}: there is nothing to cut over. Deploy again to start a new deployment.");
        }

        var store = new GhostCopyStore(session, names);
        await store.ApproveAsync(deploymentId, approvedBy, cancellationToken).ConfigureAwait(false);
        return await store.ListAsync(deploymentId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Cancels the deployment before its cutover: records the request; when the process that runs it
    /// holds the deployment lock it stops at its next checkpoint and removes its shadows itself (waited
    /// for up to <paramref name="ownerWait"/>); otherwise the shadows, changelogs, and on PostgreSQL
    /// the replication slots and publications, are removed here. The deployment is marked abandoned,
    /// so the next deploy starts from the live schema. Returns the tables that were removed.
    /// </summary>
    public static async Task<CancelOutcome> CancelAsync(IDatabaseSession session, DeployOptions options, string deploymentId, string requestedBy, TimeSpan ownerWait, CancellationToken cancellationToken)
    {
        var deployments = new DeploymentStateStore(session, options.StateTables);
        var deployment = await deployments.ExistsAsync(cancellationToken).ConfigureAwait(false) ? await deployments.GetAsync(deploymentId, cancellationToken).ConfigureAwait(false) : null;
        if (deployment is null)
        {
            throw new DeploymentRefusedException($"no deployment '{deploymentId}' is recorded in {session.DatabaseName}; run 'dotnet schema status' to list them");
        }

        var store = new GhostCopyStore(session, options.StateTables);
        var copies = await store.ListAsync(deploymentId, cancellationToken).ConfigureAwait(false);
        if (copies.Any(c => !GhostCopyState.CanMove(c.State, GhostCopyState.Cancelled) && c.State != GhostCopyState.Cancelled))
        {
            throw new DeploymentRefusedException(
                $"deployment {deploymentId} is past its cutover ({string.Join(", ", copies.Select(c => $"{c.Table}: {c.State}"))}): it can no longer be cancelled. Nothing was changed.");
        }

        if (deployment.Status is StepStatus.Succeeded or StepStatus.Abandoned && copies.All(c => c.State == GhostCopyState.Cancelled))
        {
            throw new DeploymentRefusedException($"deployment {deploymentId} is {deployment.Status}: there is nothing to cancel.");
        }

        var reason = $"cancelled by {requestedBy} at {DateTimeOffset.UtcNow:yyyy-MM-dd'T'HH:mm:ss'Z'} (dotnet schema cancel); the original tables are untouched";
        await store.RequestCancelAsync(deploymentId, requestedBy, cancellationToken).ConfigureAwait(false);
        var created = copies.SelectMany(c => new[] { c.Shadow, c.Changelog }).Where(s => s.Length > 0).ToList();
        var waited = Stopwatch.StartNew();
        var ownerRan = false;
        while (true)
        {
            if (await session.TryAcquireDeploymentLockAsync(options.LockName, cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    // No process runs a deployment: whatever is left of this one is removed here.
                    var left = await store.ListAsync(deploymentId, cancellationToken).ConfigureAwait(false);
                    IReadOnlyList<string> removed = Array.Empty<string>();
                    if (left.Any(c => GhostCopyState.CanMove(c.State, GhostCopyState.Cancelled)))
                    {
                        await using var engine = await OnlineEngines.CreateAsync(session, options.GhostCopy, cancellationToken).ConfigureAwait(false)
                            ?? throw new DeploymentRefusedException($"{session.DisplayName} has no online engine to remove the ghost copies of deployment {deploymentId} with.");
                        removed = await GhostCopyCancellation.RemoveAsync(engine, store, left, reason, cancellationToken).ConfigureAwait(false);
                    }

                    if ((await deployments.GetAsync(deploymentId, cancellationToken).ConfigureAwait(false))?.Status is not (StepStatus.Abandoned or StepStatus.Succeeded))
                    {
                        await deployments.AbandonAsync(deploymentId, reason, cancellationToken).ConfigureAwait(false);
                    }

                    // A process that was running removed its own shadows before it let the lock go.
                    return new CancelOutcome(ownerRan ? created : removed, ownerRan);
                }
                finally
                {
                    await session.ReleaseDeploymentLockAsync(options.LockName, CancellationToken.None).ConfigureAwait(false);
                }
            }

            if (waited.Elapsed > ownerWait)
            {
                throw new DeploymentRefusedException(
                    $"the process running deployments on {session.DisplayName} did not stop within {ownerWait.TotalSeconds:0}s. The cancel request for {deploymentId} is recorded: "
                    + "that process stops and removes the shadows at its next checkpoint. Check with 'dotnet schema status', or stop that process and run cancel again.");
            }

            ownerRan = true;
            await Task.Delay(500, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<IReadOnlyList<GhostCopyRecord>> CopiesAsync(IDatabaseSession session, StateTableNames names, string deploymentId, CancellationToken cancellationToken)
    {
        var copies = await new GhostCopyStore(session, names).ListAsync(deploymentId, cancellationToken).ConfigureAwait(false);
        if (copies.Count == 0)
        {
            throw new DeploymentRefusedException(
                $"deployment '{deploymentId}' has no ghost copy in {session.DatabaseName} (yet): only ghost copies wait at a gate. Run 'dotnet schema status' to see its steps.");
        }

        return copies;
    }
}

/// <summary>What <c>dotnet schema cancel</c> removed (itself, or through the process that was running the deployment, <paramref name="StoppedRunningProcess"/>).</summary>
public sealed record CancelOutcome(IReadOnlyList<string> Removed, bool StoppedRunningProcess);
