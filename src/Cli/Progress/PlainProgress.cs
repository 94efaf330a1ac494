using System;
using System.IO;
using SchemaBuild.Core.Planning;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Online;

namespace SchemaBuild.Cli.Progress;

/// <summary>Deployment progress as plain timestamped lines: for CI logs and redirected output.</summary>
public sealed class PlainProgress : IDeploymentProgress, IGhostCopyProgress
{
    private readonly TextWriter output;
    private readonly string prefix;

    /// <param name="output">Where the lines go.</param>
    /// <param name="prefix">Put before every line: <c>[shard] </c> for one shard of a sharded deployment.</param>
    public PlainProgress(TextWriter output, string prefix = "")
    {
        this.output = output;
        this.prefix = prefix;
    }

    public void Started(string deploymentId, Plan plan, int firstStep) =>
        Line(firstStep > 1 ? $"deployment {deploymentId}: resuming at step {firstStep} of {plan.Steps.Count}" : $"deployment {deploymentId}: {plan.Steps.Count} step(s)");

    public void StepStarted(PlanStep step) => Line($"step {step.Id} {step.Change} {step.ObjectName} [{StrategyNames.Of(step.Strategy)}] ...");

    public void StepRetrying(PlanStep step, int attempt, TimeSpan backoff, string reason) =>
        Line($"step {step.Id}: {reason}; attempt {attempt} in {backoff.TotalSeconds:0.0}s");

    public void StepFinished(PlanStep step, string status, TimeSpan duration) => Line($"step {step.Id} {status} in {duration.TotalSeconds:0.00}s");

    public void Note(string message) => Line(message);

    public void GhostCopy(GhostCopyProgress progress) => Line(progress.ToString());

    private void Line(string text) => output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {prefix}{text}");
}
