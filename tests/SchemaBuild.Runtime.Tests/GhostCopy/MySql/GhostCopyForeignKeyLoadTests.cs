using System;
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

/// <summary>A parent table with a child referencing it (ON DELETE CASCADE) is rebuilt under write load: the child's key ends on the live table.</summary>
[Collection("ghost-copy load")]
public sealed class GhostCopyForeignKeyLoadTests
{
    private const string Child = "CREATE TABLE notes (id INT NOT NULL PRIMARY KEY, item_id INT NOT NULL, KEY ix_notes_item (item_id), CONSTRAINT fk_notes_item FOREIGN KEY (item_id) REFERENCES items (id) ON DELETE CASCADE) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n";

    private readonly ITestOutputHelper output;

    public GhostCopyForeignKeyLoadTests(ITestOutputHelper output) => this.output = output;

    [Fact]
    public async Task A_parent_rebuilt_under_load_keeps_its_child_key_pointing_at_the_live_table()
    {
        var plan = Plans.Between(DialectKind.MariaDb, MariaDbLoad.Table + Child, MariaDbLoad.Table.Replace("qty INT", "qty BIGINT", StringComparison.Ordinal) + Child);
        Assert.False(plan.HasErrors, string.Join("\n", plan.Diagnostics));
        await using var database = await TestDatabase.CreateAsync(DialectKind.MariaDb, "ghost_fkload");
        await database.RunAsync(MariaDbLoad.Table + Child);
        await MariaDbLoad.SeedAsync(database, 100_000);
        await database.RunAsync("INSERT INTO notes SELECT seq, seq FROM seq_1_to_100000 WHERE seq % 10 = 0");
        var load = new WriteLoad(MariaDbLoad.Target(database), workers: 8, writesPerSecond: 480);
        await load.LoadModelAsync(CancellationToken.None);

        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var writing = load.RunAsync(stop.Token);
        await Task.Delay(1000);
        await using var session = await database.OpenAsync();
        var result = await new Deployer().DeployAsync(plan, session, DeployOptions.Default, CancellationToken.None);
        await Task.Delay(1500);
        stop.Cancel();
        await writing;

        output.WriteLine($"cutover lock held {result.CutoverLockHeld.TotalMilliseconds:0} ms; load: {load.Summary()}");
        Assert.Equal(DeploymentOutcome.Deployed, result.Outcome);
        Assert.True(load.Failures.Count == 0, "writes failed:\n" + string.Join("\n", load.Failures.Take(10)));
        Assert.True(load.Rate >= 400, $"the load ran at {load.Rate:0} writes/s; {load.Summary()}");
        var differences = await load.CompareAsync(CancellationToken.None);
        Assert.True(differences.Count == 0, "the table differs from the writers' model:\n" + string.Join("\n", differences));
        ModelAssert.Same(plan.Target, await session.CreateIntrospector(StateTableNames.Default.All.Append("_items_old").ToList()).IntrospectAsync(CancellationToken.None), "after the ghost copy of a parent");

        var keys = await session.QueryAsync("SELECT CONSTRAINT_NAME, TABLE_NAME, REFERENCED_TABLE_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()", null, CancellationToken.None);
        Assert.Equal(new[] { "fk_notes_item notes items" }, keys.Select(r => $"{r[0]} {r[1]} {r[2]}"));

        // The deletes of the load cascaded into notes (before and after the swap): no note is left without its item.
        var orphans = await session.QueryAsync("SELECT COUNT(*) FROM notes n WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.id = n.item_id)", null, CancellationToken.None);
        Assert.Equal(0L, Convert.ToInt64(orphans[0][0]));
        var expected = load.Model.Keys.Count(id => id <= 100_000 && id % 10 == 0);
        var notes = await session.QueryAsync("SELECT COUNT(*) FROM notes", null, CancellationToken.None);
        Assert.Equal((long)expected, Convert.ToInt64(notes[0][0]));

        // The key is checked against the live table, and a delete there cascades.
        var live = load.Model.Keys.Where(id => id > 100_000).Max();
        await session.ExecuteAsync("INSERT INTO notes VALUES (1000001, ?)", new object?[] { live }, CancellationToken.None);
        await session.ExecuteAsync("DELETE FROM items WHERE id = ?", new object?[] { live }, CancellationToken.None);
        Assert.Empty(await session.QueryAsync("SELECT 1 FROM notes WHERE id = 1000001", null, CancellationToken.None));
    }
}
