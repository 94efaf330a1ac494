using System;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.State;
using Xunit;
using Xunit.Abstractions;

namespace SchemaBuild.Runtime.Tests.GhostCopy.Gate;

/// <summary>
/// <c>deploy --gate manual</c> as a real process on both engines: it reaches ready, stays in sync
/// under write load, is killed at the gate and resumed, and cuts over once a second process runs
/// <c>dotnet schema cutover</c>; <c>dotnet schema cancel</c> from ready leaves the database as it was.
/// </summary>
[Collection("ghost-copy load")]
public sealed class ManualGateTests
{
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(30);

    private readonly ITestOutputHelper output;

    public ManualGateTests(ITestOutputHelper output) => this.output = output;

    [Theory]
    [InlineData(DialectKind.MariaDb)]
    [InlineData(DialectKind.Postgres)]
    public async Task Held_at_the_gate_under_load_killed_resumed_and_approved_from_another_process_cuts_over_with_every_write(DialectKind dialect)
    {
        var target = await GateTarget.CreateAsync(dialect, "gate_hold", 20_000, workers: 8, writesPerSecond: 200);
        await using var run = await GateRun.StartAsync(target.Database, target.Plan, new[] { target.Load });
        var url = run.Url;
        await using var session = await target.Database.OpenAsync();
        var store = new GhostCopyStore(session, StateTableNames.Default);
        var deployArguments = run.ManualDeploy();
        string id;
        using (var first = DeployProcess.Start(deployArguments))
        {
            id = GateRun.DeploymentId(await first.WaitForLineAsync(l => l.Contains(" is ready: ", StringComparison.Ordinal), TimeSpan.FromMinutes(3), "the ready line"));
            var waitReady = SchemaTool.Run("status", "--connection", url, "--deployment", id, "--wait-for", "ready", "--timeout", "10");
            Assert.True(waitReady.ExitCode == 0, waitReady.ToString());

            var atReady = Assert.Single(await store.ListAsync(id, CancellationToken.None));
            Assert.Equal(GhostCopyState.InSync, atReady.State);
            Assert.NotNull(atReady.ReadyAt);
            await Task.Delay(Hold);

            // Still held: the original serves, the deploy runs, and the writes made meanwhile reached the shadow.
            Assert.False(first.HasExited, first.Log);
            Assert.StartsWith("int", await target.QtyTypeAsync(), StringComparison.Ordinal);
            var held = Assert.Single(await store.ListAsync(id, CancellationToken.None));
            Assert.Equal(GhostCopyState.InSync, held.State);
            Assert.True(held.EventsApplied > atReady.EventsApplied, $"no change applied while held at the gate ({atReady.EventsApplied} then {held.EventsApplied})");
            var notDone = SchemaTool.Run("status", "--connection", url, "--deployment", id, "--wait-for", "done", "--timeout", "1", "--format", "json");
            Assert.True(notDone.ExitCode == 5, notDone.ToString());
            Assert.Equal("ready", JsonDocument.Parse(notDone.Output).RootElement.GetProperty("gateState").GetString());
            output.WriteLine($"held {Hold.TotalSeconds:0}s at the gate: {held.EventsApplied - atReady.EventsApplied} changes applied meanwhile, lag {held.LagMs} ms");
            await first.KillAsync();
        }

        // Deploy again: it resumes from the checkpoints, is ready again, and the approval from another process cuts it over.
        using var second = DeployProcess.Start(deployArguments);
        await second.WaitForLineAsync(l => l.Contains("resuming from the checkpoint", StringComparison.Ordinal), TimeSpan.FromMinutes(2), "the resume line");
        await second.WaitForLineAsync(l => l.Contains($"deployment {id} is ready", StringComparison.Ordinal), TimeSpan.FromMinutes(3), "the ready line after the resume");
        var approve = SchemaTool.Run("cutover", "--connection", url, "--deployment", id, "--by", "release-manager");
        Assert.True(approve.ExitCode == 0, approve.ToString());
        Assert.Contains("approved by release-manager", approve.Output, StringComparison.Ordinal);
        var (exit, _) = await second.WaitForExitAsync(TimeSpan.FromMinutes(2));
        Assert.True(exit == 0, second.Log);
        Assert.Contains("cutover approved by release-manager", second.Log, StringComparison.Ordinal);

        var waitDone = SchemaTool.Run("status", "--connection", url, "--deployment", id, "--wait-for", "done", "--timeout", "10", "--format", "json");
        Assert.True(waitDone.ExitCode == 0, waitDone.ToString());
        var status = SchemaTool.Run("status", "--connection", url, "--deployment", id, "--format", "json");
        var copy = JsonDocument.Parse(status.Output).RootElement.GetProperty("deployments")[0].GetProperty("steps").EnumerateArray()
            .SelectMany(s => s.GetProperty("ghostCopies").EnumerateArray()).Single();
        Assert.Equal("release-manager", copy.GetProperty("approvedBy").GetString());
        Assert.Equal("manual", copy.GetProperty("gate").GetString());
        Assert.Equal(JsonValueKind.String, copy.GetProperty("readySince").ValueKind);

        await run.StopWritersAndCompareAsync(output);
        Assert.StartsWith("bigint", await target.QtyTypeAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await target.SlotsAndPublicationsAsync());
    }

    [Theory]
    [InlineData(DialectKind.MariaDb, true)]
    [InlineData(DialectKind.MariaDb, false)]
    [InlineData(DialectKind.Postgres, true)]
    [InlineData(DialectKind.Postgres, false)]
    public async Task Cancel_from_ready_leaves_the_database_exactly_as_before(DialectKind dialect, bool ownerRunning)
    {
        // No writers here: the rows stay as they were, and cancel must leave them so.
        var target = await GateTarget.CreateAsync(dialect, "gate_cancel", 5_000, workers: 1, writesPerSecond: 1);
        await using var run = await GateRun.StartAsync(target.Database, target.Plan, new[] { target.Load }, write: false);
        var url = run.Url;
        await using var session = await target.Database.OpenAsync();
        var before = await session.CreateIntrospector(StateTableNames.Default.All).IntrospectAsync(CancellationToken.None);
        var tablesBefore = await target.TablesAsync();

        using var deploy = DeployProcess.Start(run.ManualDeploy());
        var id = GateRun.DeploymentId(await deploy.WaitForLineAsync(l => l.Contains(" is ready: ", StringComparison.Ordinal), TimeSpan.FromMinutes(3), "the ready line"));
        Assert.Contains(Assert.Single(await new GhostCopyStore(session, StateTableNames.Default).ListAsync(id, CancellationToken.None)).Shadow, await target.TablesAsync());
        if (!ownerRunning)
        {
            await deploy.KillAsync();
        }

        var cancel = SchemaTool.Run("cancel", "--connection", url, "--deployment", id, "--by", "operator");
        Assert.True(cancel.ExitCode == 0, cancel.ToString() + "\n" + deploy.Log);
        Assert.Contains($"deployment {id} cancelled", cancel.Output, StringComparison.Ordinal);
        if (ownerRunning)
        {
            var (exit, _) = await deploy.WaitForExitAsync(TimeSpan.FromMinutes(1));
            Assert.True(exit == 4, $"exit {exit}\n{deploy.Log}");
            Assert.Contains("cancelled by operator", deploy.Log, StringComparison.Ordinal);
        }

        // Exactly as before: the schema, the tables (no shadow or changelog), no slot or publication, every row.
        ModelAssert.Same(before, await session.CreateIntrospector(StateTableNames.Default.All).IntrospectAsync(CancellationToken.None), "after cancel");
        Assert.Equal(tablesBefore, await target.TablesAsync());
        Assert.Equal(0, await target.SlotsAndPublicationsAsync());
        Assert.Empty(await target.Load.CompareAsync(CancellationToken.None));
        var copy = Assert.Single(await new GhostCopyStore(session, StateTableNames.Default).ListAsync(id, CancellationToken.None));
        Assert.Equal(GhostCopyState.Cancelled, copy.State);
        Assert.Equal("operator", copy.CancelRequestedBy);
        var wait = SchemaTool.Run("status", "--connection", url, "--deployment", id, "--wait-for", "ready", "--timeout", "10");
        Assert.True(wait.ExitCode == 4, wait.ToString());

        // Not resumed: the next deploy starts a new deployment from the live schema.
        var again = SchemaTool.Run("deploy", "--plan", run.PlanFile, "--connection", url, "--max-lag", GateRun.IgnoreReplicas, "--revert-window", "0");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.DoesNotContain(id, again.Output, StringComparison.Ordinal);
        Assert.StartsWith("bigint", await target.QtyTypeAsync(), StringComparison.Ordinal);
    }
}
