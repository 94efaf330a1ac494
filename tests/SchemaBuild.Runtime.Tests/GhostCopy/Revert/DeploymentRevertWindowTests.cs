using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Engines.Postgres;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.State;
using SchemaBuild.Runtime.Tests.GhostCopy.Gate;
using Xunit;
using Xunit.Abstractions;

namespace SchemaBuild.Runtime.Tests.GhostCopy.Revert;

/// <summary>
/// The revert window of a deployment with two ghost copies: both old tables are kept in sync at the
/// same time and one revert swaps both back with every write; on PostgreSQL the window ends early when
/// its slot retains more WAL than <c>--max-slot-wal</c>.
/// </summary>
[Collection("ghost-copy load")]
public sealed class DeploymentRevertWindowTests
{
    private readonly ITestOutputHelper output;

    public DeploymentRevertWindowTests(ITestOutputHelper output) => this.output = output;

    [Theory]
    [InlineData(DialectKind.MariaDb)]
    [InlineData(DialectKind.Postgres)]
    public async Task Both_tables_are_kept_in_sync_in_reverse_together_and_one_revert_swaps_both_back_with_every_write(DialectKind dialect)
    {
        var target = await TwoTables.CreateAsync(dialect, "revert_two", 5_000, workersPerTable: 2, writesPerSecondPerTable: 40);
        await using var owned = target.Database;
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        var writing = target.Loads.Select(l => l.RunAsync(stop.Token)).ToList();
        await using var deploySession = await target.Database.OpenAsync();
        var notes = new List<string>();
        var deploying = Task.Run(() => new Deployer().DeployAsync(target.Plan, deploySession, Options(GhostCopyOptions.Default.MaxSlotWalBytes, notes), CancellationToken.None));
        await using var control = await target.Database.OpenAsync();
        var store = new GhostCopyStore(control, StateTableNames.Default);
        try
        {
            var row = await RevertWindowTestSupport.WaitForStateAsync(store, GhostCopyState.RevertWindow, deploying);
            var windows = await RevertWindows.ListAsync(control, StateTableNames.Default, row.DeploymentId, CancellationToken.None);
            Assert.Equal(new[] { "items", "stock" }, windows.Select(w => w.Table.Split('.').Last()).OrderBy(t => t, StringComparer.Ordinal));
            Assert.StartsWith("bigint", await target.QtyTypeAsync("items"), StringComparison.Ordinal);

            // Writes go on to both new tables; the one reverse stream applies them to both old tables meanwhile.
            await Task.Delay(4000);
            var applied = (await store.ListAsync(row.DeploymentId, CancellationToken.None)).ToDictionary(r => r.Table, r => r.EventsApplied);
            var from = target.Loads.Min(l => l.NowMs);
            var result = await RevertWindows.RevertAsync(control, StateTableNames.Default, row.DeploymentId, GhostCopyOptions.Default, notes.Add, CancellationToken.None);
            await deploying.WaitAsync(TimeSpan.FromMinutes(1));
            await Task.Delay(1000);
            stop.Cancel();
            await Task.WhenAll(writing);
            foreach (var line in notes.Where(n => n.Contains("revert", StringComparison.Ordinal) || n.Contains("cutover of", StringComparison.Ordinal)))
            {
                output.WriteLine(line);
            }

            output.WriteLine($"revert: writers blocked {result.LockHeld.TotalMilliseconds:0} ms by the swap back; applied in reverse before it: {string.Join(", ", applied.Select(a => $"{a.Key} {a.Value}"))}");
            Assert.Equal(new[] { "items", "stock" }, result.Tables.Select(t => t.Split('.').Last()).OrderBy(t => t, StringComparer.Ordinal));
            var swap = Assert.Single(notes, n => n.StartsWith("reverted ", StringComparison.Ordinal));
            Assert.Contains("items", swap, StringComparison.Ordinal);
            Assert.Contains("stock", swap, StringComparison.Ordinal);
            foreach (var load in target.Loads)
            {
                Assert.True(load.Failures.Count == 0, "writes failed:\n" + string.Join("\n", load.Failures.Take(10)));
                var differences = await load.CompareAsync(CancellationToken.None);
                Assert.True(differences.Count == 0, "a reverted table differs from its writers' model:\n" + string.Join("\n", differences));
            }

            Assert.StartsWith("int", await target.QtyTypeAsync("items"), StringComparison.Ordinal);
            Assert.StartsWith("int", await target.QtyTypeAsync("stock"), StringComparison.Ordinal);
            Assert.All(await store.ListAsync(row.DeploymentId, CancellationToken.None), r => Assert.Equal(GhostCopyState.Reverted, r.State));
        }
        finally
        {
            stop.Cancel();
            await Task.WhenAll(writing);
        }
    }

    [Fact]
    public async Task A_held_postgres_window_whose_slot_retains_more_wal_than_the_bound_ends_and_drops_its_slot()
    {
        const long bound = 32L * 1024 * 1024;
        var target = await TwoTables.CreateAsync(DialectKind.Postgres, "revert_wal", 2_000, workersPerTable: 1, writesPerSecondPerTable: 5);
        await using var owned = target.Database;
        await using var deploySession = await target.Database.OpenAsync();
        var notes = new List<string>();
        var deploying = Task.Run(() => new Deployer().DeployAsync(target.Plan, deploySession, Options(bound, notes), CancellationToken.None));
        await using var control = await target.Database.OpenAsync();
        var store = new GhostCopyStore(control, StateTableNames.Default);
        var row = await RevertWindowTestSupport.WaitForStateAsync(store, GhostCopyState.RevertWindow, deploying);
        Assert.Equal(1L, await SlotsAsync(control));

        // Created once the deployment succeeded (the deploy now only holds the window): before, it would be drift.
        var deployments = new DeploymentStateStore(control, StateTableNames.Default);
        while ((await deployments.GetAsync(row.DeploymentId, CancellationToken.None))?.Status != StepStatus.Succeeded)
        {
            Assert.False(deploying.IsCompleted, "the deploy ended before it held the window");
            await Task.Delay(100);
        }

        await target.Database.RunAsync("CREATE TABLE filler (id integer PRIMARY KEY, pad text NOT NULL);\n");

        // An open transaction that wrote keeps the slot's restart point where it began: the WAL written after it is retained.
        await using var pin = new NpgsqlConnection(PostgresSession.ConnectionString(target.Database.Url, TimeSpan.FromMinutes(5)));
        await pin.OpenAsync();
        await using var transaction = await pin.BeginTransactionAsync();
        await using (var write = new NpgsqlCommand("INSERT INTO filler VALUES (0, 'pin')", pin, transaction))
        {
            await write.ExecuteNonQueryAsync();
        }

        // About three times the bound: 1 KB rows stay in the heap, uncompressed.
        for (var batch = 0; batch < 10; batch++)
        {
            await target.Database.RunAsync($"INSERT INTO filler SELECT g, repeat(md5(g::text), 32) FROM generate_series({(batch * 10_000) + 1}, {(batch + 1) * 10_000}) g;\n");
        }

        var deployed = await deploying.WaitAsync(TimeSpan.FromMinutes(2));
        await transaction.RollbackAsync();
        foreach (var line in notes.Where(n => n.Contains("revert window", StringComparison.Ordinal)))
        {
            output.WriteLine(line);
        }

        Assert.Equal(DeploymentOutcome.Deployed, deployed.Outcome);
        var ended = Assert.Single(notes, n => n.Contains("ended early", StringComparison.Ordinal));
        Assert.Contains("more than --max-slot-wal (32 MB)", ended, StringComparison.Ordinal);
        Assert.All(await store.ListAsync(row.DeploymentId, CancellationToken.None), r => Assert.Equal(GhostCopyState.Done, r.State));
        Assert.Equal(0L, await SlotsAsync(control));
        Assert.False(await control.TableExistsAsync("_items_old", CancellationToken.None));
        Assert.False(await control.TableExistsAsync("_stock_old", CancellationToken.None));
        var refused = await Assert.ThrowsAsync<RevertRefusedException>(() => RevertWindows.RevertAsync(control, StateTableNames.Default, row.DeploymentId, GhostCopyOptions.Default, null, CancellationToken.None));
        Assert.Contains("no table in its revert window", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mariadb_revert_of_a_table_with_foreign_keys_is_refused_with_what_to_do_and_changes_nothing()
    {
        const string child = "CREATE TABLE notes (id INT NOT NULL PRIMARY KEY, item_id INT NOT NULL, KEY ix_notes_item (item_id), CONSTRAINT fk_notes_item FOREIGN KEY (item_id) REFERENCES items (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n";
        var (_, database, _) = await MySql.MariaDbLoad.SetUpAsync("revert_fk", 2_000, workers: 1, writesPerSecond: 1);
        await using var owned = database;
        await database.RunAsync(child + "INSERT INTO notes VALUES (1, 1), (2, 2);\n");
        var plan = Plans.Between(DialectKind.MariaDb, MySql.MariaDbLoad.Table + child, MySql.MariaDbLoad.Table.Replace("qty INT", "qty BIGINT", StringComparison.Ordinal) + child);
        await using var deploySession = await database.OpenAsync();
        var notes = new List<string>();
        var deploying = Task.Run(() => new Deployer().DeployAsync(plan, deploySession, Options(GhostCopyOptions.Default.MaxSlotWalBytes, notes), CancellationToken.None));
        await using var control = await database.OpenAsync();
        var store = new GhostCopyStore(control, StateTableNames.Default);
        var row = await RevertWindowTestSupport.WaitForStateAsync(store, GhostCopyState.RevertWindow, deploying);

        var refused = await Assert.ThrowsAsync<RevertRefusedException>(() => RevertWindows.RevertAsync(control, StateTableNames.Default, row.DeploymentId, GhostCopyOptions.Default, notes.Add, CancellationToken.None));
        output.WriteLine(refused.Message);
        Assert.Contains("notes.fk_notes_item", refused.Message, StringComparison.Ordinal);
        Assert.Contains("does not move them back", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", refused.Message, StringComparison.Ordinal);

        // Still in its window, the new table serving with its key: `complete` ends it.
        Assert.Equal(GhostCopyState.RevertWindow, Assert.Single(await store.ListAsync(row.DeploymentId, CancellationToken.None)).State);
        Assert.True(await control.TableExistsAsync("items", CancellationToken.None));
        Assert.NotEmpty(await RevertWindows.CompleteAsync(control, StateTableNames.Default, row.DeploymentId, CancellationToken.None));
        await deploying.WaitAsync(TimeSpan.FromMinutes(1));
        ModelAssert.Same(plan.Target, await (await LiveSchema.IntrospectorAsync(control, StateTableNames.Default, CancellationToken.None)).IntrospectAsync(CancellationToken.None), "after complete");
    }

    private static DeployOptions Options(long maxSlotWal, List<string> notes) =>
        DeployOptions.Default with
        {
            GhostCopy = GhostCopyOptions.Default with
            {
                RevertWindow = TimeSpan.FromMinutes(5), CheckpointInterval = TimeSpan.FromMilliseconds(500), MaxSlotWalBytes = maxSlotWal,
                MaxLag = TimeSpan.FromDays(1), CutoverLockWait = TimeSpan.FromSeconds(10),
            },
            Progress = new RecordingProgress(notes),
        };

    private static async Task<long> SlotsAsync(Sessions.IDatabaseSession session) =>
        Convert.ToInt64((await session.QueryAsync("SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'sb_ghost_%' AND database = current_database()", null, CancellationToken.None))[0][0]);
}
