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
        Assert.Equal("_items_gho", described.Shadow);
        Assert.Equal(new[] { "id" }, described.KeyColumns);
        Assert.Contains(described.ShadowDdl, d => d.StartsWith("CREATE TABLE `_items_gho` LIKE `items`", StringComparison.Ordinal));

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
        Assert.False(await session.TableExistsAsync("_items_gho", CancellationToken.None));
        Assert.False(await session.TableExistsAsync("_items_ghc", CancellationToken.None));

        // Inserts after the swap continue the key.
        await session.ExecuteAsync("INSERT INTO items (qty, name) VALUES (1, 'after')", null, CancellationToken.None);
        var again = await new Deployer().DeployAsync(plan, session, DeployOptions.Default, CancellationToken.None);
        Assert.Equal(DeploymentOutcome.UpToDate, again.Outcome);
    }

    [Fact]
    public async Task A_table_in_a_foreign_key_is_refused_before_anything_runs()
    {
        var baseline = "CREATE TABLE parent (id INT NOT NULL PRIMARY KEY, qty INT NOT NULL) ENGINE=InnoDB;\nCREATE TABLE child (id INT NOT NULL PRIMARY KEY, parent_id INT NOT NULL, CONSTRAINT fk_child_parent FOREIGN KEY (parent_id) REFERENCES parent (id)) ENGINE=InnoDB;\n";
        var plan = Plans.Between(DialectKind.MariaDb, baseline, baseline.Replace("qty INT", "qty BIGINT", StringComparison.Ordinal));
        await using var database = await TestDatabase.CreateAsync(DialectKind.MariaDb, "ghost_fk");
        await database.RunAsync(baseline);
        await using var session = await database.OpenAsync();
        var refused = await Assert.ThrowsAsync<DeploymentRefusedException>(() => new Deployer().DeployAsync(plan, session, DeployOptions.Default, CancellationToken.None));
        Assert.Contains("fk_child_parent", refused.Message, StringComparison.Ordinal);
        Assert.Contains("foreign keys", refused.Message, StringComparison.Ordinal);
        Assert.False(await session.TableExistsAsync("_parent_gho", CancellationToken.None));
    }
}
