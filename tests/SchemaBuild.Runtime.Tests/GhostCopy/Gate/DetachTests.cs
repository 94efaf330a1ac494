using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.State;
using Xunit;
using Xunit.Abstractions;

namespace SchemaBuild.Runtime.Tests.GhostCopy.Gate;

/// <summary>
/// <c>deploy --detach</c>: returns once the deployment is ready, while a background process (no
/// password on its command line) keeps the streams, acts on <c>cutover</c> from another process and
/// finishes the deployment; the tables then equal the writers' models and the desired schema.
/// </summary>
[Collection("ghost-copy load")]
public sealed class DetachTests
{
    private readonly ITestOutputHelper output;

    public DetachTests(ITestOutputHelper output) => this.output = output;

    [Theory]
    [InlineData(DialectKind.MariaDb)]
    [InlineData(DialectKind.Postgres)]
    public async Task Detached_deploy_returns_at_ready_and_its_background_process_cuts_over_when_approved(DialectKind dialect)
    {
        var target = await TwoTables.CreateAsync(dialect, "detach", 5_000, workersPerTable: 1, writesPerSecondPerTable: 30);
        await using var run = await GateRun.StartAsync(target.Database, target.Plan, target.Loads);
        var environment = new Dictionary<string, string> { ["SCHEMABUILD_CONNECTION"] = run.Url };
        var log = Path.Combine(Path.GetTempPath(), $"sb-detach-{Guid.NewGuid():N}.log");
        int? pid = null;
        try
        {
            var detached = SchemaTool.Run(environment, new[] { "deploy", "--plan", run.PlanFile, "--detach", "--log", log, "--format", "json" }.Concat(GateRun.ManualGate).ToArray());
            Assert.True(detached.ExitCode == 0, detached + "\n--- log ---\n" + (File.Exists(log) ? File.ReadAllText(log) : "(none)"));
            var result = JsonDocument.Parse(detached.Output).RootElement;
            Assert.Equal("detached", result.GetProperty("outcome").GetString());
            Assert.Equal("ready", result.GetProperty("gateState").GetString());
            Assert.Equal(log, result.GetProperty("log").GetString());
            var id = result.GetProperty("deploymentId").GetString()!;
            pid = result.GetProperty("pid").GetInt32();

            // The background process runs on, without the password on its command line.
            using (var child = Process.GetProcessById(pid.Value))
            {
                Assert.False(child.HasExited);
            }

            var commandLine = await File.ReadAllTextAsync($"/proc/{pid}/cmdline");
            Assert.Contains("deploy", commandLine, StringComparison.Ordinal);
            Assert.DoesNotContain(TestDatabase.Password(dialect), commandLine, StringComparison.Ordinal);
            Assert.DoesNotContain("--connection", commandLine, StringComparison.Ordinal);

            var ready = SchemaTool.Run(environment, "status", "--deployment", id, "--wait-for", "ready", "--timeout", "30");
            Assert.True(ready.ExitCode == 0, ready.ToString());
            await Task.Delay(TimeSpan.FromSeconds(3));
            var approve = SchemaTool.Run(environment, "cutover", "--deployment", id, "--by", "pipeline");
            Assert.True(approve.ExitCode == 0, approve.ToString());
            var done = SchemaTool.Run(environment, "status", "--deployment", id, "--wait-for", "done", "--timeout", "150");
            Assert.True(done.ExitCode == 0, done + "\n--- log ---\n" + File.ReadAllText(log));
            await WaitForExitAsync(pid.Value, TimeSpan.FromMinutes(1));

            var logText = await File.ReadAllTextAsync(log);
            output.WriteLine(string.Join("\n", logText.Split('\n').Where(l => l.Contains("cutover", StringComparison.Ordinal))));
            Assert.Contains("cutover approved by pipeline", logText, StringComparison.Ordinal);
            Assert.DoesNotContain(TestDatabase.Password(dialect), logText, StringComparison.Ordinal);

            await run.StopWritersAndCompareAsync(output);
            await using var session = await target.Database.OpenAsync();
            ModelAssert.Same(target.Plan.Target, await (await LiveSchema.IntrospectorAsync(session, StateTableNames.Default, CancellationToken.None)).IntrospectAsync(CancellationToken.None), "after the detached deploy");
        }
        finally
        {
            if (pid is { } started && Alive(started))
            {
                using var child = Process.GetProcessById(started);
                child.Kill();
            }

            File.Delete(log);
        }
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task WaitForExitAsync(int pid, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (Alive(pid))
        {
            Assert.True(watch.Elapsed < timeout, $"the background deploy (pid {pid}) still runs {timeout.TotalSeconds:0}s after the deployment is done");
            await Task.Delay(200);
        }
    }
}
