using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.State;
using SchemaBuild.Runtime.Tests.GhostCopy.Load;
using Xunit;
using Xunit.Abstractions;

namespace SchemaBuild.Runtime.Tests.GhostCopy.MySql;

/// <summary>
/// <c>dotnet schema deploy --gate manual</c> run as a child process and killed (SIGKILL) during the copy
/// and again while it waits at the gate (in sync, changes flowing, a phase that lasts until approved,
/// however fast the machine), under write load; approved, the next deploy resumes from the checkpoint
/// and cuts over, and the table equals the writers' model.
/// </summary>
[Collection("ghost-copy load")]
public sealed class GhostCopyKillResumeTests
{
    private readonly ITestOutputHelper output;

    public GhostCopyKillResumeTests(ITestOutputHelper output) => this.output = output;

    [Fact]
    public async Task Deploy_killed_during_the_copy_and_at_the_gate_resumes_with_nothing_lost_or_duplicated()
    {
        var (plan, database, load) = await MariaDbLoad.SetUpAsync("ghost_kill", 200_000, workers: 8, writesPerSecond: 400);
        await using var owned = database;
        var planFile = Path.Combine(Path.GetTempPath(), $"sb-ghost-kill-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(planFile, PlanJson.Write(plan));
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var writing = load.RunAsync(stop.Token);
        await using var session = await database.OpenAsync();
        var store = new GhostCopyStore(session, StateTableNames.Default);
        try
        {
            // Small chunks, so that even on an idle machine (over 250k rows/s with 0.1 s chunks) the copy
            // lasts long enough to be killed in the middle: killed at the first progress line of the copy.
            var arguments = new[] { "deploy", "--plan", planFile, "--connection", database.UrlText, "--chunk-time", "0.1", "--max-chunk-rows", "200", "--revert-window", "0", "--gate", "manual" };
            await KillWhenAsync(arguments, line => Copied(line, "copying") > 0, "during the copy");
            var afterFirst = Assert.Single(await store.ListAsync(null, CancellationToken.None));
            Assert.True(afterFirst.RowsCopied < 200_000, $"the first kill came after the copy: {afterFirst.RowsCopied} rows");

            // At the gate: the manual gate holds the deploy in sync (changes keep flowing) until approved, so the kill
            // lands there whatever the speed of the machine; the line is printed once the copy is recorded ready.
            await KillWhenAsync(arguments, line => line.Contains(" is ready: items in sync", StringComparison.Ordinal), "at the gate");
            var afterSecond = Assert.Single(await store.ListAsync(null, CancellationToken.None));
            Assert.True(afterSecond.CopyComplete, "the second kill came before the copy finished");
            Assert.Equal(GhostCopyState.InSync, afterSecond.State);
            Assert.NotNull(afterSecond.ReadyAt);
            Assert.Null(afterSecond.ApprovedBy);

            // Approved from another process while no deploy runs: the resumed deploy catches up, checks again, and cuts over.
            var approved = SchemaTool.Run("cutover", "--connection", database.UrlText, "--deployment", afterSecond.DeploymentId);
            Assert.True(approved.ExitCode == 0, approved.ToString());
            var resumed = SchemaTool.Run("deploy", "--plan", planFile, "--connection", database.UrlText, "--revert-window", "0", "--gate", "manual");
            output.WriteLine(resumed.Error);
            Assert.True(resumed.ExitCode == 0, resumed.ToString());
            Assert.Contains("resuming from the checkpoint", resumed.Error, StringComparison.Ordinal);

            var status = SchemaTool.Run("status", "--connection", database.UrlText);
            Assert.Contains("ghost copy of items: done", status.Output, StringComparison.Ordinal);

            await Task.Delay(1000);
            stop.Cancel();
            await writing;
            output.WriteLine(load.Summary());
            Assert.True(load.Failures.Count == 0, "writes failed:\n" + string.Join("\n", load.Failures.Take(10)));
            var differences = await load.CompareAsync(CancellationToken.None);
            Assert.True(differences.Count == 0, "the table differs from the writers' model:\n" + string.Join("\n", differences) + await GhostCopyLoadTests.OldRowsAsync(session, differences));

            var completed = SchemaTool.Run("complete", "--connection", database.UrlText);
            Assert.True(completed.ExitCode == 0, completed.ToString());
            Assert.Contains("_items_old", completed.Output, StringComparison.Ordinal);
            Assert.False(await session.TableExistsAsync("_items_old", CancellationToken.None));
            ModelAssert.Same(plan.Target, await session.CreateIntrospector(StateTableNames.Default.All).IntrospectAsync(CancellationToken.None), "after the resumed ghost copy");
        }
        finally
        {
            stop.Cancel();
            await writing;
            File.Delete(planFile);
        }
    }

    /// <summary>Rows copied in a progress line of the given state ("ghost copy of items: copying 4014/~200344 rows"), -1 for other lines.</summary>
    private static long Copied(string line, string state)
    {
        var match = System.Text.RegularExpressions.Regex.Match(line, "ghost copy of items: " + state + " (\\d+)/");
        return match.Success ? long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;
    }

    /// <summary>
    /// Starts deploy as a child process and kills it (SIGKILL) as soon as a progress line (printed after
    /// the checkpoint it reports was written) satisfies <paramref name="when"/>.
    /// </summary>
    private async Task KillWhenAsync(string[] arguments, Func<string, bool> when, string moment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "dotnet-schema.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SCHEMABUILD_CONNECTION"] = null;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var seen = new System.Text.StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            seen.AppendLine(line);
            if (when(line))
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                output.WriteLine($"killed {moment}: {line}");
                return;
            }
        }

        await process.WaitForExitAsync();
        Assert.Fail($"deploy ended (exit {process.ExitCode}) before it could be killed {moment}:\n{seen}\n{await stdout}");
    }
}
