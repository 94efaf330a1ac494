using System;

namespace SchemaBuild.Runtime.Deployment;

/// <summary>A step failed (exit code 4); the message names the step and statement, the state table keeps the error, and deploy resumes from this step.</summary>
public sealed class StepFailedException : Exception
{
    public StepFailedException(string deploymentId, int stepId, string message, Exception? inner)
        : base(message, inner)
    {
        DeploymentId = deploymentId;
        StepId = stepId;
    }

    public string DeploymentId { get; }

    public int StepId { get; }
}
