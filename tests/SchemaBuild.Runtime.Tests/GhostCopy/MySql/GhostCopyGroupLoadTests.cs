using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.State;
using SchemaBuild.Runtime.Tests.GhostCopy.Load;
using Xunit;
using Xunit.Abstractions;

namespace SchemaBuild.Runtime.Tests.GhostCopy.MySql;

/// <summary>Two tables rebuilt by one deployment under write load swap in one cutover, and each equals its writers' model.</summary>
[Collection("ghost-copy load")]
public sealed class GhostCopyGroupLoadTests
{
    private readonly ITestOutputHelper output;

    public GhostCopyGroupLoadTests(ITestOutputHelper output) => this.output = output;

    [Fact]
    public async Task Two_tables_rebuilt_under_load_swap_in_one_cutover_and_lose_no_write()
    {
        var second = MariaDbLoad.Table.Replace("TABLE items", "TABLE stock", StringComparison.Ordinal);
        var baseline = MariaDbLoad.Table + second;
        var plan = Plans.Between(DialectKind.MariaDb, baseline, baseline.Replace("qty INT", "qty BIGINT", StringComparison.Ordinal));
        Assert.Equal(2, plan.Steps.Count(s => s.Strategy == Core.Planning.Strategy.GhostCopy));
        await using var database = await TestDatabase.CreateAsync(DialectKind.MariaDb, "ghost_group");
        await database.RunAsync(baseline);
        await MariaDbLoad.SeedAsync(database, 60_000);
        await database.RunAsync("INSERT INTO stock SELECT * FROM items");
        var loads = new[] { new WriteLoad(MariaDbLoad.Target(database), 6, 260), new WriteLoad(MariaDbLoad.Target(database, "`stock`"), 6, 260) };
        foreach (var load in loads)
        {
            await load.LoadModelAsync(CancellationToken.None);
        }

        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var writing = loads.Select(l => l.RunAsync(stop.Token)).ToList();
        await Task.Delay(1000);
        var notes = new List<string>();
        await using var session = await database.OpenAsync();
        var result = await new Deployer().DeployAsync(plan, session, DeployOptions.Default with { Progress = new RecordingProgress(notes) }, CancellationToken.None);
        await Task.Delay(1500);
        stop.Cancel();
        await Task.WhenAll(writing);

        foreach (var line in notes.Where(n => n.StartsWith("ghost copy", StringComparison.Ordinal) || n.StartsWith("cutover", StringComparison.Ordinal)))
        {
            output.WriteLine(line);
        }

        output.WriteLine($"cutover lock held {result.CutoverLockHeld.TotalMilliseconds:0} ms; items: {loads[0].Summary()}; stock: {loads[1].Summary()}");
        Assert.Equal(DeploymentOutcome.Deployed, result.Outcome);
        Assert.Single(notes, n => n.StartsWith("cutover of items, stock: writers waited", StringComparison.Ordinal));
        Assert.True(loads.Sum(l => l.Rate) >= 400, $"the load ran at {loads.Sum(l => l.Rate):0} writes/s");
        foreach (var load in loads)
        {
            Assert.True(load.Failures.Count == 0, "writes failed:\n" + string.Join("\n", load.Failures.Take(10)));
            var differences = await load.CompareAsync(CancellationToken.None);
            Assert.True(differences.Count == 0, "a table differs from its writers' model:\n" + string.Join("\n", differences));
        }

        ModelAssert.Same(plan.Target, await (await LiveSchema.IntrospectorAsync(session, StateTableNames.Default, CancellationToken.None)).IntrospectAsync(CancellationToken.None), "after the grouped ghost copy");
        Assert.True(await session.TableExistsAsync("_items_old", CancellationToken.None));
        Assert.True(await session.TableExistsAsync("_stock_old", CancellationToken.None));
    }
}
