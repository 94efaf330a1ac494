using System.CommandLine;
using SchemaBuild.Runtime.Deployment.Shards;

namespace SchemaBuild.Cli.Commands;

/// <summary>The deploy options that only matter with several shards (<c>--targets</c>): copies per server, retries after a cutover.</summary>
public sealed class ShardDeployCommandOptions
{
    public Option<int> Parallel { get; } = new("--parallel") { Description = "With several shards: how many shards of one server (host:port) run their bulk copies at once; a shard in sync at the gate frees its place.", DefaultValueFactory = _ => 1 };

    public Option<int> RetriesAfterCutover { get; } = new("--retries-after-cutover")
    {
        Description = "With several shards: how often a shard that fails after other shards cut over is run again (every 10s, from its checkpoints) before the deploy gives up on it and exits 4 (0: give up at its first failure).",
        DefaultValueFactory = _ => ShardDeployOptions.Default.RetriesAfterCutover,
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Parallel, RetriesAfterCutover })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The shard options the command line sets; validated (a usage error says what is allowed).</summary>
    public ShardDeployOptions Read(ParseResult parseResult)
    {
        var parallel = parseResult.GetValue(Parallel);
        if (parallel < 1)
        {
            throw new UsageException($"--parallel {parallel}: must be at least 1 (shards of one server that copy at once)");
        }

        var retries = parseResult.GetValue(RetriesAfterCutover);
        if (retries < 0)
        {
            throw new UsageException($"--retries-after-cutover {retries}: must be 0 or more (runs of a failed shard after others cut over, before the deploy gives up; 0: give up at once)");
        }

        return ShardDeployOptions.Default with { ParallelPerServer = parallel, RetriesAfterCutover = retries };
    }
}
