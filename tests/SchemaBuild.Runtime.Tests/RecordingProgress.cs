using System;
using System.Collections.Generic;
using SchemaBuild.Core.Planning;
using SchemaBuild.Runtime.Deployment;

namespace SchemaBuild.Runtime.Tests;

/// <summary>Progress events as lines, for assertions.</summary>
public sealed class RecordingProgress : IDeploymentProgress
{
    private readonly List<string> lines;

    public RecordingProgress(List<string> lines) => this.lines = lines;

    public void Started(string deploymentId, Plan plan, int firstStep) => Add($"started {deploymentId} at {firstStep}");

    public void StepStarted(PlanStep step) => Add($"step {step.Id} started");

    public void StepRetrying(PlanStep step, int attempt, TimeSpan backoff, string reason) => Add($"step {step.Id} retry {attempt}: {reason}");

    public void StepFinished(PlanStep step, string status, TimeSpan duration) => Add($"step {step.Id} {status}");

    public void Note(string message) => Add(message);

    private void Add(string line)
    {
        lock (lines)
        {
            lines.Add(line);
        }
    }
}
