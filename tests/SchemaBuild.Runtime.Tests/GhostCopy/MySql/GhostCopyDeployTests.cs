using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.State;
using Xunit;

namespace SchemaBuild.Runtime.Tests.GhostCopy.MySql;

/// <summary>Ghost copies on the real MariaDB: the copy, the mapping, the control-table row, the kept old table, dry run and refusals.</summary>
public sealed class GhostCopyDeployTests
{
    private const string Baseline =
        "CREATE TABLE items (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, qty INT NOT NULL, name VARCHAR(40) NULL, note VARCHAR(20) NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n";

    [Fact]
    public async Task Int_to_bigint_with_an_added_column_copies_every_row_and_keeps_the_old_table()
    {
        var desired = "CREATE TABLE items (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, qty BIGINT NOT NULL, name VARCHAR(40) NULL, note VARCHAR(20) NULL, flag INT NOT NULL DEFAULT 7) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n";
        var plan = Plans.Between(DialectKind.MariaDb, Baseline, desired);
        Assert.Contains(plan.Steps, s => s.Strategy == Strategy.GhostCopy);
        Assert.False(plan.HasErrors, string.Join("\n", plan.Diagnostics));
        await using var database = await TestDatabase.CreateAsync(DialectKind.MariaDb, "ghost_basic");
        await database.RunAsync(Baseline);
        await database.RunAsync("INSERT INTO items (qty, name, note) SELECT seq, CONCAT('n', seq), IF(seq % 3 = 0, NULL, 'x') FROM seq_1_to_5000");
        await database.RunAsync("DELETE FROM items WHERE id % 7 = 0");
        await using var session = await database.OpenAsync();

        var dry = await new Deployer().DeployAsync(plan, session, DeployOptions.Default with { DryRun = true }, CancellationToken.None);
        var described = Assert.Single(dry.GhostCopies);
        Assert.Equal("items__gho", described.Shadow);
        Assert.Equal(new[] { "id" }, described.KeyColumns);
        Assert.Contains(described.ShadowDdl, d => d.StartsWith("CREATE TABLE `items__gho` LIKE `items`", StringComparison.Ordinal));

        var result = await new Deployer().DeployAsync(plan, session, DeployOptions.Default with { GhostCopy = GhostCopyOptions.Default with { InitialChunkRows = 500, MaxChunkRows = 1000 } }, CancellationToken.None);
        Assert.Equal(DeploymentOutcome.Deployed, result.Outcome);
        ModelAssert.Same(plan.Target, await session.CreateIntrospector(StateTableNames.Default.All.Append("_items_old").ToList()).IntrospectAsync(CancellationToken.None), "after the ghost copy");

        var copied = await session.QueryAsync("SELECT COUNT(*), SUM(qty), SUM(flag), SUM(CRC32(CONCAT_WS('#', id, qty, name, note))) FROM items", null, CancellationToken.None);
        var original = await session.QueryAsync("SELECT COUNT(*), SUM(qty), 7 * COUNT(*), SUM(CRC32(CONCAT_WS('#', id, qty, name, note))) FROM _items_old", null, CancellationToken.None);
        Assert.Equal(original[0].Select(Convert.ToString), copied[0].Select(Convert.ToString));
        Assert.Equal(4286L, Convert.ToInt64(copied[0][0]));

        var row = Assert.Single(await new GhostCopyStore(session, StateTableNames.Default).ListAsync(result.DeploymentId, CancellationToken.None));
        Assert.Equal(GhostCopyState.Done, row.State);
        Assert.Equal(4286, row.RowsCopied);
        Assert.Equal("[\"_items_old\"]", row.Artifacts);
        Assert.False(await session.TableExistsAsync("items__gho", CancellationToken.None));
        Assert.False(await session.TableExistsAsync("_items_ghc", CancellationToken.None));

        // Inserts after the swap continue the key.
        await session.ExecuteAsync("INSERT INTO items (qty, name) VALUES (1, 'after')", null, CancellationToken.None);
        var again = await new Deployer().DeployAsync(plan, session, DeployOptions.Default, CancellationToken.None);
        Assert.Equal(DeploymentOutcome.UpToDate, again.Outcome);
    }

    [Fact]
    public async Task A_table_whose_own_foreign_key_cascades_is_refused_at_plan_time_and_at_deploy_time()
    {
        var baseline = "CREATE TABLE parent (id INT NOT NULL PRIMARY KEY) ENGINE=InnoDB;\nCREATE TABLE child (id INT NOT NULL PRIMARY KEY, parent_id INT NOT NULL, qty INT NOT NULL, CONSTRAINT fk_child_parent FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE) ENGINE=InnoDB;\n";
        var plan = Plans.Between(DialectKind.MariaDb, baseline, baseline.Replace("qty INT", "qty BIGINT", StringComparison.Ordinal));
        var diagnostic = Assert.Single(plan.Diagnostics, d => d.Id == "SB4009");
        Assert.Contains("fk_child_parent", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("binlog", diagnostic.Message, StringComparison.Ordinal);

        await using var database = await TestDatabase.CreateAsync(DialectKind.MariaDb, "ghost_fk");
        await database.RunAsync(baseline);
        await using var session = await database.OpenAsync();
        var refused = await Assert.ThrowsAsync<DeploymentRefusedException>(() => new Deployer().DeployAsync(plan, session, DeployOptions.Default, CancellationToken.None));
        Assert.Contains("the plan has errors", refused.Message, StringComparison.Ordinal);

        // Acknowledged (for a maintenance window), the online copy is still refused by deploy before anything is created.
        var acknowledged = Plans.Between(DialectKind.MariaDb, baseline, "-- schema:allow SB4009 child \"maintenance window\"\n" + baseline.Replace("qty INT", "qty BIGINT", StringComparison.Ordinal));
        Assert.False(acknowledged.HasErrors, string.Join("\n", acknowledged.Diagnostics));
        refused = await Assert.ThrowsAsync<DeploymentRefusedException>(() => new Deployer().DeployAsync(acknowledged, session, DeployOptions.Default, CancellationToken.None));
        Assert.Contains("fk_child_parent", refused.Message, StringComparison.Ordinal);
        Assert.Contains("ON DELETE CASCADE", refused.Message, StringComparison.Ordinal);
        Assert.False(await session.TableExistsAsync("child__gho", CancellationToken.None));
    }

    [Theory]
    [InlineData("CREATE TABLE t (id INT NOT NULL PRIMARY KEY, up INT NULL, qty INT NOT NULL, CONSTRAINT fk_up FOREIGN KEY (up) REFERENCES t (id)) ENGINE=InnoDB;\n", "qty INT", "qty BIGINT", "fk_up")]
    [InlineData("CREATE TABLE p (id INT NOT NULL PRIMARY KEY) ENGINE=InnoDB;\nCREATE TABLE t (id INT NOT NULL PRIMARY KEY, p_id INT NOT NULL, CONSTRAINT fk_p FOREIGN KEY (p_id) REFERENCES p (id)) ENGINE=InnoDB;\n", "p_id INT", "p_id BIGINT", "fk_p")]
    [InlineData("CREATE TABLE t (id INT NOT NULL PRIMARY KEY, qty INT NOT NULL) ENGINE=InnoDB;\nCREATE TABLE c (id INT NOT NULL PRIMARY KEY, t_id INT NOT NULL, CONSTRAINT fk_c FOREIGN KEY (t_id) REFERENCES t (id)) ENGINE=InnoDB;\n", "t (id INT NOT NULL PRIMARY KEY, qty INT", "t (id BIGINT NOT NULL PRIMARY KEY, qty INT", "fk_c")]
    public void Foreign_keys_the_cutover_cannot_move_are_refused_at_plan_time(string baseline, string from, string to, string key)
    {
        var plan = Plans.Between(DialectKind.MariaDb, baseline, baseline.Replace(from, to, StringComparison.Ordinal));
        Assert.Contains(plan.Steps, s => s.Strategy == Strategy.GhostCopy);
        var diagnostic = Assert.Single(plan.Diagnostics, d => d.Id == "SB4009");
        Assert.Contains(key, diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_child_table_is_rebuilt_and_its_own_foreign_key_moves_to_the_new_table()
    {
        var baseline = "CREATE TABLE parent (id INT NOT NULL PRIMARY KEY) ENGINE=InnoDB;\nCREATE TABLE child (id INT NOT NULL PRIMARY KEY, parent_id INT NOT NULL, qty INT NOT NULL, KEY ix_parent (parent_id), CONSTRAINT fk_child_parent FOREIGN KEY (parent_id) REFERENCES parent (id)) ENGINE=InnoDB;\n";
        var plan = Plans.Between(DialectKind.MariaDb, baseline, baseline.Replace("qty INT", "qty BIGINT", StringComparison.Ordinal));
        Assert.False(plan.HasErrors, string.Join("\n", plan.Diagnostics));
        await using var database = await TestDatabase.CreateAsync(DialectKind.MariaDb, "ghost_fkown");
        await database.RunAsync(baseline);
        await database.RunAsync("INSERT INTO parent SELECT seq FROM seq_1_to_100; INSERT INTO child SELECT seq, 1 + seq % 100, seq FROM seq_1_to_3000");
        await using var session = await database.OpenAsync();

        var result = await new Deployer().DeployAsync(plan, session, DeployOptions.Default, CancellationToken.None);
        Assert.Equal(DeploymentOutcome.Deployed, result.Outcome);
        ModelAssert.Same(plan.Target, await session.CreateIntrospector(StateTableNames.Default.All.Append("_child_old").ToList()).IntrospectAsync(CancellationToken.None), "after the ghost copy of the child");
        var keys = await session.QueryAsync("SELECT TABLE_NAME, REFERENCED_TABLE_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()", null, CancellationToken.None);
        Assert.Equal(new[] { "child parent" }, keys.Select(r => $"{r[0]} {r[1]}"));

        // The key is enforced on the live table.
        var orphan = await Assert.ThrowsAnyAsync<Exception>(() => session.ExecuteAsync("INSERT INTO child VALUES (5000, 101, 1)", null, CancellationToken.None));
        Assert.Contains("foreign key", orphan.Message, StringComparison.OrdinalIgnoreCase);
        await session.ExecuteAsync("INSERT INTO child VALUES (5000, 100, 1)", null, CancellationToken.None);
    }

    [Fact]
    public async Task The_auto_increment_counter_carries_over_and_the_kept_old_table_is_not_drift()
    {
        var desired = Baseline.Replace("qty INT", "qty BIGINT", StringComparison.Ordinal);
        var plan = Plans.Between(DialectKind.MariaDb, Baseline, desired);
        await using var database = await TestDatabase.CreateAsync(DialectKind.MariaDb, "ghost_autoinc");
        await database.RunAsync(Baseline);
        await database.RunAsync("INSERT INTO items (qty) SELECT seq FROM seq_1_to_1000");
        await database.RunAsync("DELETE FROM items WHERE id > 100");
        await using var session = await database.OpenAsync();
        var counter = Convert.ToInt64((await session.QueryAsync("SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items'", null, CancellationToken.None))[0][0]);
        Assert.True(counter > 1000, $"the original's counter is {counter}");

        var result = await new Deployer().DeployAsync(plan, session, DeployOptions.Default, CancellationToken.None);
        Assert.Equal(DeploymentOutcome.Deployed, result.Outcome);

        // Ids 101-1000 were handed out by the original: the new table (whose copy stopped at 100) does not hand them out again.
        await session.ExecuteAsync("INSERT INTO items (qty) VALUES (1)", null, CancellationToken.None);
        var id = await session.QueryAsync("SELECT MAX(id) FROM items", null, CancellationToken.None);
        Assert.Equal(counter, Convert.ToInt64(id[0][0]));

        // diff, plan against live and inspect read the database without the kept old table.
        Assert.True(await session.TableExistsAsync("_items_old", CancellationToken.None));
        var live = await (await LiveSchema.IntrospectorAsync(session, StateTableNames.Default, CancellationToken.None)).IntrospectAsync(CancellationToken.None);
        ModelAssert.Same(plan.Target, live, "the live schema as diff and inspect read it");
    }
}
