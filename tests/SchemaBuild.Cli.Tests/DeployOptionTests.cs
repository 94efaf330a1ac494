using System;
using System.CommandLine;
using System.IO;
using SchemaBuild.Cli.Commands;
using Xunit;

namespace SchemaBuild.Cli.Tests;

/// <summary>
/// deploy's <c>--max-chunk-rows-under-writes</c> and <c>--retries-after-cutover</c>: help, the values they set, and the
/// usage errors (exit 2, before anything connects) that say what is allowed.
/// </summary>
public sealed class DeployOptionTests
{
    [Fact]
    public void Deploy_help_describes_both_options_with_their_defaults()
    {
        var result = SchemaTool.Run(Path.GetTempPath(), "deploy", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--max-chunk-rows-under-writes", result.Output, StringComparison.Ordinal);
        Assert.Contains("20000", result.Output, StringComparison.Ordinal);
        Assert.Contains("--retries-after-cutover", result.Output, StringComparison.Ordinal);
        Assert.Contains("gives up on it and exits 4", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--max-chunk-rows-under-writes", "50", "--max-chunk-rows-under-writes 50: must be 0 (no cap while written to) or at least 100 rows")]
    [InlineData("--max-chunk-rows-under-writes", "-1", "--max-chunk-rows-under-writes -1: must be 0 (no cap while written to) or at least 100 rows")]
    [InlineData("--retries-after-cutover", "-1", "--retries-after-cutover -1: must be 0 or more")]
    public void A_value_out_of_range_is_a_usage_error_that_says_what_is_allowed(string option, string value, string message)
    {
        var result = SchemaTool.Run(Path.GetTempPath(), "deploy", "--plan", "missing-plan.json", "--connection", "postgres://app@127.0.0.1:1/shop", option, value);
        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}\n{result.Output}\n{result.Error}");
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], 20_000)]
    [InlineData(new[] { "--max-chunk-rows-under-writes", "5000" }, 5_000)]
    [InlineData(new[] { "--max-chunk-rows-under-writes", "0" }, int.MaxValue)]
    public void The_under_writes_cap_reaches_the_ghost_copy_options_and_0_lifts_it(string[] arguments, int expected)
    {
        var ghost = new GhostCopyDeployOptions();
        var command = new Command("deploy");
        ghost.AddTo(command);
        Assert.Equal(expected, ghost.Read(command.Parse(arguments)).MaxChunkRowsUnderWrites);
    }

    [Theory]
    [InlineData(new string[0], 10, 1)]
    [InlineData(new[] { "--retries-after-cutover", "0", "--parallel", "3" }, 0, 3)]
    [InlineData(new[] { "--retries-after-cutover", "25" }, 25, 1)]
    public void The_retries_after_cutover_reach_the_shard_options(string[] arguments, int retries, int parallel)
    {
        var sharding = new ShardDeployCommandOptions();
        var command = new Command("deploy");
        sharding.AddTo(command);
        var read = sharding.Read(command.Parse(arguments));
        Assert.Equal((retries, parallel), (read.RetriesAfterCutover, read.ParallelPerServer));
    }
}
