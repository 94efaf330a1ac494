using System;
using System.Collections.Generic;

namespace SchemaBuild.Runtime.Deployment;

/// <summary>The live schema is neither the plan's source nor its target (exit code 3).</summary>
public sealed class DriftDetectedException : Exception
{
    public DriftDetectedException(string database, string liveFingerprint, IReadOnlyList<string> differences)
        : base($"drift: the live schema of '{database}' ({liveFingerprint}) is neither the plan's source nor its target. "
            + "Differences from the plan's target (expected != live):\n  " + string.Join("\n  ", differences)
            + "\nInspect it with 'dotnet schema diff', fix the database or the baseline, or deploy with --allow-replan to plan against the live schema.")
    {
        Differences = differences;
        LiveFingerprint = liveFingerprint;
    }

    public IReadOnlyList<string> Differences { get; }

    public string LiveFingerprint { get; }
}
