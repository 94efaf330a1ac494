using System;
using System.IO;
using SchemaBuild.Cli.Commands;
using Xunit;

namespace SchemaBuild.Cli.Tests;

/// <summary><c>deploy --detach</c> without a server: what the background process's command line keeps, and the usage errors.</summary>
public sealed class DetachOptionTests
{
    [Fact]
    public void The_background_command_line_drops_the_connection_in_every_spelling_and_the_detach_options()
    {
        var arguments = new[]
        {
            "deploy", "--connection", "postgres://app:s3cret@db/shop", "--plan", "plan.json", "--connection=mariadb://app:s3cret@db/shop",
            "--connection:postgres://app:s3cret@db/x", "--detach", "--log", "deploy.log", "--log=other.log", "--gate", "manual",
        };

        var kept = DetachedDeploy.ChildArguments(arguments);

        Assert.Equal(new[] { "deploy", "--plan", "plan.json", "--gate", "manual" }, kept);
        Assert.DoesNotContain(kept, a => a.Contains("s3cret", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--detach", "--dry-run")]
    [InlineData("--log", "deploy.log")]
    public void Detach_with_a_dry_run_and_a_log_without_detach_are_usage_errors(string first, string second)
    {
        var result = SchemaTool.Run(Path.GetTempPath(), "deploy", "--plan", "missing-plan.json", "--connection", "postgres://app@127.0.0.1:1/shop", first, second);
        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}\n{result.Output}\n{result.Error}");
        Assert.Contains(first == "--log" ? "--log names the log of a --detach'ed deploy" : "--detach runs the deploy in the background", result.Error, StringComparison.Ordinal);
    }
}
