using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.State;
using SchemaBuild.Runtime.Tests.GhostCopy.Load;
using SchemaBuild.Runtime.Tests.GhostCopy.MySql;
using Xunit;
using Xunit.Abstractions;

namespace SchemaBuild.Runtime.Tests.GhostCopy.Revert;

/// <summary>
/// The revert window on MariaDB: after the cutover the deploy keeps the old table in sync in
/// reverse; a revert from another session swaps back under write load with every write kept; complete
/// and the window's end drop the old table and stop the stream.
/// </summary>
[Collection("ghost-copy load")]
public sealed class MariaDbRevertWindowTests
{
    /// <summary>int → bigint, and a stored generated column (not instant: part of the ghost copy) only the new definition has, dropped on revert.</summary>
    private static readonly string Desired = MariaDbLoad.Table
        .Replace("qty INT", "qty BIGINT", StringComparison.Ordinal)
        .Replace("name VARCHAR(40) NOT NULL)", "name VARCHAR(40) NOT NULL, twice BIGINT AS (qty * 2) STORED)", StringComparison.Ordinal);

    private readonly ITestOutputHelper output;

    public MariaDbRevertWindowTests(ITestOutputHelper output) => this.output = output;

    [Fact]
    public async Task Revert_under_write_load_brings_the_old_schema_back_with_every_write_made_after_the_cutover()
    {
        var (_, database, load) = await MariaDbLoad.SetUpAsync("revert_load", 20_000, workers: 8, writesPerSecond: 400);
        await using var owned = database;
        var plan = Plans.Between(DialectKind.MariaDb, MariaDbLoad.Table, Desired);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var writing = load.RunAsync(stop.Token);
        await using var deploySession = await database.OpenAsync();
        var notes = new System.Collections.Generic.List<string>();
        var deploying = Task.Run(() => new Deployer().DeployAsync(plan, deploySession, Options(TimeSpan.FromMinutes(5), notes), CancellationToken.None));

        await using var control = await database.OpenAsync();
        var store = new GhostCopyStore(control, StateTableNames.Default);
        var row = await RevertWindowTestSupport.WaitForStateAsync(store, GhostCopyState.RevertWindow, deploying);
        Assert.Equal("bigint", await ColumnTypeAsync(control, "qty"));

        // Writes go on, on the new table; the deploy applies them in reverse to the old one.
        await Task.Delay(3000);
        var windows = await RevertWindows.ListAsync(control, StateTableNames.Default, row.DeploymentId, CancellationToken.None);
        var window = Assert.Single(windows);
        Assert.Equal(new[] { "twice" }, window.DroppedColumns);
        Assert.InRange(window.Left(DateTimeOffset.UtcNow), TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));

        var from = load.NowMs;
        var watch = Stopwatch.StartNew();
        var result = await RevertWindows.RevertAsync(control, StateTableNames.Default, row.DeploymentId, GhostCopyOptions.Default, notes.Add, CancellationToken.None);
        var revertTime = watch.Elapsed;
        var to = load.NowMs;
        var deployed = await deploying.WaitAsync(TimeSpan.FromMinutes(1));

        // Writes go on after the swap back, on the old table.
        await Task.Delay(1500);
        stop.Cancel();
        await writing;
        foreach (var line in notes)
        {
            output.WriteLine(line);
        }

        var stall = load.LongestStallBetween(from, to);
        output.WriteLine($"revert {revertTime.TotalSeconds:0.00}s, writers blocked {result.LockHeld.TotalMilliseconds:0} ms by the swap back, longest write during the revert {stall:0} ms; load: {load.Summary()}");
        Assert.Equal(DeploymentOutcome.Deployed, deployed.Outcome);
        Assert.Equal(new[] { "items" }, result.Tables);
        Assert.True(load.Failures.Count == 0, "writes failed:\n" + string.Join("\n", load.Failures.Take(10)));
        var differences = await load.CompareAsync(CancellationToken.None);
        Assert.True(differences.Count == 0, "the reverted table differs from the writers' model:\n" + string.Join("\n", differences));

        // The old definition is back and nothing of the window is left.
        Assert.Equal("int", await ColumnTypeAsync(control, "qty"));
        Assert.Null(await ColumnTypeAsync(control, "twice"));
        ModelAssert.Same(plan.Source, await control.CreateIntrospector(StateTableNames.Default.All).IntrospectAsync(CancellationToken.None), "after the revert");
        Assert.Equal(GhostCopyState.Reverted, Assert.Single(await store.ListAsync(row.DeploymentId, CancellationToken.None)).State);
        Assert.Empty(await RevertWindowTestSupport.MariaDbLeftoversAsync(control));
    }

    [Fact]
    public async Task Complete_during_the_window_stops_the_reverse_stream_and_drops_the_old_table()
    {
        var (_, database, _) = await MariaDbLoad.SetUpAsync("revert_complete", 2_000, workers: 1, writesPerSecond: 1);
        await using var owned = database;
        var plan = Plans.Between(DialectKind.MariaDb, MariaDbLoad.Table, Desired);
        await using var deploySession = await database.OpenAsync();
        var deploying = Task.Run(() => new Deployer().DeployAsync(plan, deploySession, Options(TimeSpan.FromMinutes(5), null), CancellationToken.None));
        await using var control = await database.OpenAsync();
        var store = new GhostCopyStore(control, StateTableNames.Default);
        var row = await RevertWindowTestSupport.WaitForStateAsync(store, GhostCopyState.RevertWindow, deploying);
        await control.ExecuteAsync("UPDATE items SET qty = 7 WHERE id = 1", null, CancellationToken.None);
        Assert.NotEmpty(await RevertWindowTestSupport.MariaDbLeftoversAsync(control));

        var dropped = await RevertWindows.CompleteAsync(control, StateTableNames.Default, row.DeploymentId, CancellationToken.None);
        var deployed = await deploying.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(DeploymentOutcome.Deployed, deployed.Outcome);
        Assert.Contains("_items_ghc", dropped);
        Assert.Empty(await RevertWindowTestSupport.MariaDbLeftoversAsync(control));
        Assert.Equal(GhostCopyState.Done, Assert.Single(await store.ListAsync(row.DeploymentId, CancellationToken.None)).State);
        Assert.Equal("bigint", await ColumnTypeAsync(control, "qty"));
        var refused = await Assert.ThrowsAsync<RevertRefusedException>(() => RevertWindows.RevertAsync(control, StateTableNames.Default, row.DeploymentId, GhostCopyOptions.Default, null, CancellationToken.None));
        Assert.Contains("items is done", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_window_ends_the_reverse_stream_and_drops_the_old_table()
    {
        var (_, database, _) = await MariaDbLoad.SetUpAsync("revert_expiry", 2_000, workers: 1, writesPerSecond: 1);
        await using var owned = database;
        var plan = Plans.Between(DialectKind.MariaDb, MariaDbLoad.Table, Desired);
        await using var session = await database.OpenAsync();
        var notes = new System.Collections.Generic.List<string>();
        var watch = Stopwatch.StartNew();
        var deployed = await new Deployer().DeployAsync(plan, session, Options(TimeSpan.FromSeconds(3), notes), CancellationToken.None);
        output.WriteLine(string.Join("\n", notes));

        // The deploy returns by itself once the window ended.
        Assert.Equal(DeploymentOutcome.Deployed, deployed.Outcome);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(3), $"the deploy returned after {watch.Elapsed.TotalSeconds:0.0}s, before the 3 s window ended");
        Assert.Contains(notes, n => n.Contains("revert window of items ended", StringComparison.Ordinal));
        Assert.Empty(await RevertWindowTestSupport.MariaDbLeftoversAsync(session));
        var row = Assert.Single(await new GhostCopyStore(session, StateTableNames.Default).ListAsync(deployed.DeploymentId!, CancellationToken.None));
        Assert.Equal(GhostCopyState.Done, row.State);
        Assert.Equal("[]", row.Artifacts);
        await Assert.ThrowsAsync<RevertRefusedException>(() => RevertWindows.RevertAsync(session, StateTableNames.Default, deployed.DeploymentId!, GhostCopyOptions.Default, null, CancellationToken.None));
    }

    private static DeployOptions Options(TimeSpan window, System.Collections.Generic.List<string>? notes) =>
        DeployOptions.Default with
        {
            GhostCopy = GhostCopyOptions.Default with { RevertWindow = window, CheckpointInterval = TimeSpan.FromMilliseconds(500) },
            Progress = notes is null ? null : new RecordingProgress(notes),
        };

    private static async Task<string?> ColumnTypeAsync(Sessions.IDatabaseSession session, string column)
    {
        var rows = await session.QueryAsync("SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' AND COLUMN_NAME = ?", new object?[] { column }, CancellationToken.None);
        return rows.Count == 0 ? null : Convert.ToString(rows[0][0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
