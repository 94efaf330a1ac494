using System.Collections.Generic;
using SchemaBuild.Core.Planning;

namespace SchemaBuild.Runtime.Deployment;

/// <summary>What a deployment did: its id, the plan that ran (re-planned when allowed), the statements, and the outcome.</summary>
public sealed record DeploymentResult(DeploymentOutcome Outcome, string? DeploymentId, Plan Plan, IReadOnlyList<PlannedStatement> Statements)
{
    /// <summary>The first step that ran (steps before it were done by an earlier, interrupted run).</summary>
    public int FirstStep { get; init; } = 1;

    /// <summary>True when the live schema drifted and the plan was recomputed against it (<c>--allow-replan</c>).</summary>
    public bool Replanned { get; init; }

    /// <summary>True when an unfinished earlier deployment of the same plan was resumed.</summary>
    public bool Resumed { get; init; }

    /// <summary>Session settings applied before the steps (lock wait, statement timeout), for the dry-run listing.</summary>
    public IReadOnlyList<string> Settings { get; init; } = System.Array.Empty<string>();

    /// <summary>What each ghost-copy step does (dry run): shadow DDL, copy key, estimated rows.</summary>
    public IReadOnlyList<GhostCopyPlan> GhostCopies { get; init; } = System.Array.Empty<GhostCopyPlan>();

    /// <summary>How long writers waited at the last ghost-copy cutover (zero when none ran).</summary>
    public System.TimeSpan CutoverLockHeld { get; init; }
}

/// <summary>A ghost copy as a dry run describes it.</summary>
public sealed record GhostCopyPlan(string Table, string Shadow, IReadOnlyList<string> ShadowDdl, IReadOnlyList<string> KeyColumns, long EstimatedRows, IReadOnlyList<string> Notes);
