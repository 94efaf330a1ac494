using System;

namespace SchemaBuild.Runtime.Deployment;

/// <summary>The plan's steps, strategies or fingerprints are not what its own models give (see <see cref="PlanVerifier"/>): a usage error, nothing ran.</summary>
public sealed class PlanMismatchException : Exception
{
    public PlanMismatchException(string message)
        : base(message)
    {
    }
}
