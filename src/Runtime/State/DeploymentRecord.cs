using System;
using System.Collections.Generic;

namespace SchemaBuild.Runtime.State;

/// <summary>One recorded deployment: which plan, who ran it, when, how far it got.</summary>
public sealed record DeploymentRecord(string DeploymentId, string PlanFingerprint, string SourceFingerprint, string TargetFingerprint, string Status)
{
    public string Dialect { get; init; } = string.Empty;

    public int StepCount { get; init; }

    public string StartedBy { get; init; } = string.Empty;

    public string Host { get; init; } = string.Empty;

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public string? Error { get; init; }

    /// <summary>The live model (JSON) when the deployment started, so a resume can tell which steps already ran.</summary>
    public string? SourceModel { get; init; }

    public IReadOnlyList<StepRecord> Steps { get; init; } = Array.Empty<StepRecord>();

    /// <summary>Values in the control tables that do not read back (rows edited by hand), each saying which and where; read as empty.</summary>
    public IReadOnlyList<string> Problems { get; init; } = Array.Empty<string>();
}
