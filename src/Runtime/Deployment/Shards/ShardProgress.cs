using System;
using SchemaBuild.Core.Planning;
using SchemaBuild.Runtime.Online;

namespace SchemaBuild.Runtime.Deployment.Shards;

/// <summary>
/// One shard's progress, forwarded to that shard's display (which prefixes its lines with the shard
/// name); the moment the shard's tables swap (a copy reaches done or revert-window) is noted for the cutover spread.
/// </summary>
internal sealed class ShardProgress : IDeploymentProgress, IGhostCopyProgress
{
    private readonly string shard;
    private readonly IDeploymentProgress? inner;
    private readonly Action<string> swapped;

    public ShardProgress(string shard, IDeploymentProgress? inner, Action<string> swapped)
    {
        this.shard = shard;
        this.inner = inner;
        this.swapped = swapped;
    }

    public void Started(string deploymentId, Plan plan, int firstStep) => inner?.Started(deploymentId, plan, firstStep);

    public void StepStarted(PlanStep step) => inner?.StepStarted(step);

    public void StepRetrying(PlanStep step, int attempt, TimeSpan backoff, string reason) => inner?.StepRetrying(step, attempt, backoff, reason);

    public void StepFinished(PlanStep step, string status, TimeSpan duration) => inner?.StepFinished(step, status, duration);

    public void Note(string message) => inner?.Note(message);

    public void GhostCopy(GhostCopyProgress progress)
    {
        if (progress.State is GhostCopyState.Done or GhostCopyState.RevertWindow)
        {
            swapped(shard);
        }

        (inner as IGhostCopyProgress)?.GhostCopy(progress);
    }
}
