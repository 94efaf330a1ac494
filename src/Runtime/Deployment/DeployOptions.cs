using System;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Planning;
using SchemaBuild.Runtime.Sessions;
using SchemaBuild.Runtime.State;

namespace SchemaBuild.Runtime.Deployment;

/// <summary>How a deployment runs.</summary>
public sealed record DeployOptions
{
    public static readonly DeployOptions Default = new();

    public LockWaitPolicy LockWait { get; init; } = LockWaitPolicy.Default;

    public StateTableNames StateTables { get; init; } = StateTableNames.Default;

    /// <summary>Print what would run and stop: nothing is executed or recorded.</summary>
    public bool DryRun { get; init; }

    /// <summary>When the live schema is neither the plan's source nor its target, plan against the live schema instead of stopping.</summary>
    public bool AllowReplan { get; init; }

    /// <summary>Transactions open longer than this are reported by the pre-flight check.</summary>
    public TimeSpan LongTransactionThreshold { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the pre-flight check waits for long transactions to finish before the step runs anyway (under its lock wait).</summary>
    public TimeSpan LongTransactionWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Who runs the deployment, recorded in the control table (default: OS user).</summary>
    public string? Actor { get; init; }

    /// <summary>Name of the advisory lock that keeps deployments of one database apart.</summary>
    public string LockName { get; init; } = "schemabuild-deploy";

    /// <summary>
    /// Opens a new session on the same database: used to record a failure when the deployment's own
    /// connection was lost, so the step is marked failed with its cause. Optional.
    /// </summary>
    public Func<CancellationToken, Task<IDatabaseSession>>? Reconnect { get; init; }

    /// <summary>How ghost-copy steps run (chunk time, throttling, cutover lock wait, --drop-old).</summary>
    public Online.GhostCopyOptions GhostCopy { get; init; } = Online.GhostCopyOptions.Default;

    /// <summary>Progress events (the CLI's live display); optional.</summary>
    public IDeploymentProgress? Progress { get; init; }

    /// <summary>
    /// The id a new deployment gets (a sharded deployment gives every shard the same one, so
    /// <c>--deployment ID</c> names it on all of them); null: a fresh id. A resumed deployment keeps its own.
    /// </summary>
    internal string? DeploymentId { get; init; }

    /// <summary>Test hook: awaited before each statement of a step (step, 0-based statement index).</summary>
    internal Func<PlanStep, int, CancellationToken, Task>? BeforeStatement { get; init; }

    /// <summary>Seed of the backoff jitter (tests); random when null.</summary>
    internal int? JitterSeed { get; init; }
}
