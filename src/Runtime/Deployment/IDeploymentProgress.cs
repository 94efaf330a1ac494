using System;
using SchemaBuild.Core.Planning;

namespace SchemaBuild.Runtime.Deployment;

/// <summary>What a deployment reports while it runs (the CLI shows it live on a terminal, as lines in CI logs).</summary>
public interface IDeploymentProgress
{
    void Started(string deploymentId, Plan plan, int firstStep);

    void StepStarted(PlanStep step);

    void StepRetrying(PlanStep step, int attempt, TimeSpan backoff, string reason);

    void StepFinished(PlanStep step, string status, TimeSpan duration);

    void Note(string message);
}
