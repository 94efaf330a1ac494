using System;
using System.IO;
using Xunit;

namespace SchemaBuild.Cli.Tests;

/// <summary>
/// <c>--targets FILE</c> and repeated <c>--connection</c>: a wrong targets file is a usage error
/// (exit 2) that names the file, the shard and what to change, before anything connects.
/// </summary>
public sealed class TargetsFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("sb-targets-").FullName;

    [Theory]
    [InlineData("{\"shards\": [", "targets.json(1): not valid JSON")]
    [InlineData("[]", "is an object with a \"shards\" array")]
    [InlineData("{\"shards\": []}", "no shards")]
    [InlineData("{\"shards\": [{\"connection\": \"mariadb://u@h:3306/a\"}]}", "shard 1: \"name\" is missing")]
    [InlineData("{\"shards\": [{\"name\": \"a\", \"connection\": \"mariadb://u:hunter2secret@h:3306/a\"}]}", "shard 1 ('a'): the connection carries a password")]
    [InlineData("{\"shards\": [{\"name\": \"a\", \"connectionEnv\": \"SB_TARGETS_TEST_UNSET_VARIABLE\"}]}", "the environment variable SB_TARGETS_TEST_UNSET_VARIABLE is not set")]
    [InlineData("{\"shards\": [{\"name\": \"a\", \"connection\": \"mariadb://u@h:3306/a\", \"connectionEnv\": \"X\"}]}", "give exactly one of \"connection\"")]
    [InlineData("{\"shards\": [{\"name\": \"a\", \"connection\": \"mariadb://u@h:3306/a\"}, {\"name\": \"a\", \"connection\": \"mariadb://u@h:3306/b\"}]}", "the shard name 'a' appears 2 times")]
    [InlineData("{\"shards\": [{\"name\": \"a\", \"connection\": \"mariadb://u@h:3306/a\"}, {\"name\": \"b\", \"connection\": \"mariadb://u@H:3306/a\"}]}", "are the same database")]
    [InlineData("{\"shards\": [{\"name\": \"a\", \"connection\": \"mariadb://u@h:3306/a\"}, {\"name\": \"b\", \"connection\": \"postgres://u@h:5432/a\"}]}", "the shards mix engines")]
    public void A_wrong_targets_file_is_a_usage_error_that_says_what_to_change(string content, string message)
    {
        var file = Path.Combine(folder, "targets.json");
        File.WriteAllText(file, content);
        var result = SchemaTool.Run(folder, "status", "--targets", file);
        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}\n{result.Output}\n{result.Error}");
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.StartsWith("error: --targets " + file, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2secret", result.Error + result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Targets_and_connection_together_or_a_repeated_connection_on_a_one_database_command_are_usage_errors()
    {
        var file = Path.Combine(folder, "targets.json");
        File.WriteAllText(file, "{\"shards\": [{\"name\": \"a\", \"connection\": \"mariadb://u@h:3306/a\"}]}");
        var both = SchemaTool.Run(folder, "cutover", "--targets", file, "--connection", "mariadb://u@h:3306/a", "--deployment", "x");
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("--targets and --connection", both.Error, StringComparison.Ordinal);

        var twice = SchemaTool.Run(folder, "pause", "--connection", "mariadb://u@h:3306/a", "--connection", "mariadb://u@h:3306/b", "--deployment", "x");
        Assert.Equal(2, twice.ExitCode);
        Assert.Contains("--connection is given 2 times; this command works on one database", twice.Error, StringComparison.Ordinal);

        var sameDatabase = SchemaTool.Run(folder, "status", "--connection", "mariadb://u@h:3306/a", "--connection", "mariadb://u@h:3306/a");
        Assert.Equal(2, sameDatabase.ExitCode);
        Assert.Contains("are the same database", sameDatabase.Error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
