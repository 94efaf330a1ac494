using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Tests.GhostCopy.Gate;
using Xunit;
using Xunit.Abstractions;

namespace SchemaBuild.Runtime.Tests.GhostCopy.Shards;

/// <summary>
/// <c>deploy --targets</c> as a real process with the manual gate: ready on every shard, killed at the
/// gate and resumed, approved with <c>cutover --targets</c> from another process; <c>status --targets</c>
/// waits on every shard and reports each under its name.
/// </summary>
[Collection("ghost-copy load")]
public sealed class ShardedCliTests
{
    private readonly ITestOutputHelper output;

    public ShardedCliTests(ITestOutputHelper output) => this.output = output;

    [Fact]
    public async Task Deploy_targets_held_at_the_gate_killed_resumed_and_approved_on_every_shard_from_another_process()
    {
        await using var set = await ShardSet.CreateAsync(DialectKind.MariaDb, "shard_cli", 2, rows: 2000);
        var variables = set.Shards.Select((_, i) => $"SB_TEST_SHARD_{Environment.ProcessId}_{i}").ToList();
        for (var i = 0; i < variables.Count; i++)
        {
            Environment.SetEnvironmentVariable(variables[i], set.Shards[i].Database.UrlText);
        }

        var planFile = Path.Combine(Path.GetTempPath(), $"sb-shards-{Guid.NewGuid():N}.json");
        var targets = Path.Combine(Path.GetTempPath(), $"sb-targets-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(planFile, PlanJson.Write(set.Plan));
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var load = set.RunLoad(stop.Token);
        try
        {
            // A password in the targets file is refused: it belongs in an environment variable.
            await File.WriteAllTextAsync(targets, $"{{\"shards\": [{{\"name\": \"eu-1\", \"connection\": \"{set.Shards[0].Database.UrlText}\"}}]}}");
            var refused = SchemaTool.Run("status", "--targets", targets);
            Assert.True(refused.ExitCode == 2, refused.ToString());
            Assert.Contains("carries a password", refused.Error, StringComparison.Ordinal);
            Assert.DoesNotContain(TestDatabase.Password(DialectKind.MariaDb), refused.All, StringComparison.Ordinal);

            await File.WriteAllTextAsync(targets, $"{{\"shards\": [{{\"name\": \"eu-1\", \"connectionEnv\": \"{variables[0]}\"}}, {{\"name\": \"eu-2\", \"connectionEnv\": \"{variables[1]}\"}}]}}");
            var deploy = new[] { "deploy", "--plan", planFile, "--targets", targets, "--gate", "manual", "--max-lag", "100000", "--lock-wait", "10", "--revert-window", "0" };
            string id;
            using (var first = DeployProcess.Start(deploy))
            {
                id = ReadyId(await first.WaitForLineAsync(l => l.Contains(" is ready on all 2 shards", StringComparison.Ordinal), TimeSpan.FromMinutes(3), "the ready line"));
                Assert.Contains("[eu-1] ", first.Log, StringComparison.Ordinal);
                Assert.Contains("[eu-2] ", first.Log, StringComparison.Ordinal);
                var ready = SchemaTool.Run("status", "--targets", targets, "--deployment", id, "--wait-for", "ready", "--timeout", "20", "--format", "json");
                Assert.True(ready.ExitCode == 0, ready.ToString());
                Assert.Equal(new[] { "eu-1", "eu-2" }, ready.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("shard").GetString()));
                var notDone = SchemaTool.Run("status", "--targets", targets, "--deployment", id, "--wait-for", "done", "--timeout", "1");
                Assert.True(notDone.ExitCode == 5, notDone.ToString());
                await first.KillAsync();
            }

            using var second = DeployProcess.Start(deploy);
            await second.WaitForLineAsync(l => l.Contains($"deployment {id} is ready on all 2 shards", StringComparison.Ordinal), TimeSpan.FromMinutes(3), "the ready line after the resume");
            Assert.Contains("resuming from the checkpoint", second.Log, StringComparison.Ordinal);
            foreach (var shard in set.Shards)
            {
                Assert.StartsWith("int", await shard.QtyTypeAsync(), StringComparison.Ordinal);
            }

            var approve = SchemaTool.Run("cutover", "--targets", targets, "--deployment", id, "--by", "release-manager");
            Assert.True(approve.ExitCode == 0, approve.ToString());
            Assert.Contains("[eu-2] ", approve.Output, StringComparison.Ordinal);
            var (exit, result) = await second.WaitForExitAsync(TimeSpan.FromMinutes(2));
            output.WriteLine(second.Log);
            output.WriteLine(result);
            Assert.True(exit == 0, second.Log);
            Assert.Matches(new Regex(@"cutover on 2 shard\(s\): spread \d+ ms"), result);

            var status = SchemaTool.Run("status", "--targets", targets, "--deployment", id, "--format", "json");
            Assert.True(status.ExitCode == 0, status.ToString());
            var shards = JsonDocument.Parse(status.Output).RootElement.GetProperty("shards").EnumerateArray().ToList();
            Assert.Equal(new[] { "eu-1", "eu-2" }, shards.Select(s => s.GetProperty("name").GetString()));
            foreach (var shard in shards)
            {
                var copy = shard.GetProperty("deployments")[0].GetProperty("steps")[0].GetProperty("ghostCopies")[0];
                Assert.Equal("done", copy.GetProperty("state").GetString());
                Assert.Equal("release-manager", copy.GetProperty("approvedBy").GetString());
            }

            Assert.DoesNotContain(TestDatabase.Password(DialectKind.MariaDb), second.Log + status.All + approve.All, StringComparison.Ordinal);
            foreach (var shard in set.Shards)
            {
                Assert.StartsWith("bigint", await shard.QtyTypeAsync(), StringComparison.Ordinal);
            }
        }
        finally
        {
            stop.Cancel();
            await Task.WhenAll(load);
            File.Delete(planFile);
            File.Delete(targets);
            foreach (var variable in variables)
            {
                Environment.SetEnvironmentVariable(variable, null);
            }
        }
    }

    private static string ReadyId(string line) => Regex.Match(line, @"deployment (\S+) is ready on all").Groups[1].Value;
}
