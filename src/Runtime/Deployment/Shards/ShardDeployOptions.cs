using System;

namespace SchemaBuild.Runtime.Deployment.Shards;

/// <summary>How a plan is applied to several shards (<c>deploy --targets</c>); each shard runs with the deployment's <see cref="DeployOptions"/>.</summary>
public sealed record ShardDeployOptions
{
    public static readonly ShardDeployOptions Default = new();

    /// <summary>Shards of one server (host:port) that copy at once (<c>--parallel</c>); a shard frees its place when it is in sync at the gate.</summary>
    public int ParallelPerServer { get; init; } = 1;

    /// <summary>A shard that fails is run again this often (it resumes from its checkpoints) while the other shards wait for it at the gate.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often a shard that failed after other shards already cut over is run again before the deploy gives up on it
    /// (a failure that repeats then is most likely not transient): the deploy ends with the split named, the shard stays
    /// on the old schema with its approval recorded, and the next <c>deploy --targets</c> resumes it. Before any shard
    /// cut over, a failed shard is retried until it is fixed or the deployment is cancelled (the others wait for it).
    /// </summary>
    public int RetriesAfterCutover { get; init; } = 10;

    /// <summary>The display of one shard's progress (lines prefixed with its name); null: none.</summary>
    public Func<string, IDeploymentProgress?>? ProgressFor { get; init; }

    /// <summary>Lines about the whole deployment: shards at the gate, the approval, failures, the cutover spread.</summary>
    public Action<string>? Note { get; init; }

    /// <summary>How long one statement may run on a shard's session.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromHours(2);

    /// <summary>How long the approval is left for every shard's gate to read before the barrier opens (the gate polls the control table every second).</summary>
    internal TimeSpan ApprovalSettle { get; init; } = TimeSpan.FromMilliseconds(1200);

    /// <summary>Test hook: the options of one shard (per-shard copy hooks).</summary>
    internal Func<string, DeployOptions, DeployOptions>? ForShard { get; init; }
}
