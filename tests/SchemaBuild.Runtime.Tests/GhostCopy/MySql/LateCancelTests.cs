using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.State;
using Xunit;

namespace SchemaBuild.Runtime.Tests.GhostCopy.MySql;

/// <summary>A cancel request that no checkpoint read before the copy ended still stops the cutover.</summary>
[Collection("ghost-copy load")]
public sealed class LateCancelTests
{
    [Fact]
    public async Task A_cancel_requested_after_the_last_checkpoint_stops_the_cutover_and_leaves_the_original()
    {
        var (plan, database, _) = await MariaDbLoad.SetUpAsync("ghost_latecancel", 3_000, workers: 1, writesPerSecond: 1);
        await using var owned = database;
        await using var control = await database.OpenAsync();
        var store = new GhostCopyStore(control, StateTableNames.Default);
        var requested = false;
        var hooks = new GhostCopyHooks
        {
            AfterChunk = async (table, chunk, ct) =>
            {
                if (chunk != 1)
                {
                    return;
                }

                var id = (await store.ListAsync(null, ct)).Single().DeploymentId;
                requested = await store.RequestCancelAsync(id, "late cancel test", ct) > 0;
            },
        };

        // Checkpoints (which also read cancel requests) never come due during this short copy, and the gate is auto.
        var options = GhostCopyOptions.Default with { InitialChunkRows = 1000, MaxChunkRows = 1000, CheckpointInterval = TimeSpan.FromHours(1), Hooks = hooks };
        await using var session = await database.OpenAsync();
        var failed = await Assert.ThrowsAsync<StepFailedException>(() => new Deployer().DeployAsync(plan, session, DeployOptions.Default with { GhostCopy = options }, CancellationToken.None));

        Assert.True(requested, "the cancel request reached no copy");
        Assert.Contains("late cancel test", failed.Message, StringComparison.Ordinal);
        var qty = await control.QueryAsync("SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' AND COLUMN_NAME = 'qty'", null, CancellationToken.None);
        Assert.Equal("int", Convert.ToString(qty[0][0], System.Globalization.CultureInfo.InvariantCulture));
        var shadows = await control.QueryAsync("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'items\\_%'", null, CancellationToken.None);
        Assert.Equal(0L, Convert.ToInt64(shadows[0][0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(GhostCopyState.Cancelled, (await store.ListAsync(null, CancellationToken.None)).Single().State);
    }
}
