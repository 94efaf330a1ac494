using System;

namespace SchemaBuild.Runtime.Deployment;

/// <summary>
/// The deployment did not start: another deployment holds the lock, a step needs a strategy this
/// version does not run (ghost copy), or the plan is unsafe. Nothing was changed.
/// </summary>
public sealed class DeploymentRefusedException : Exception
{
    public DeploymentRefusedException(string message, bool unsafePlan = false)
        : base(message) => UnsafePlan = unsafePlan;

    /// <summary>True when refused because the plan has unacknowledged errors (exit code 1 rather than 4).</summary>
    public bool UnsafePlan { get; }
}
