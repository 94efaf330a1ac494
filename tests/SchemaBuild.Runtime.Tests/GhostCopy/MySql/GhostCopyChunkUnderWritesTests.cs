using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Online;
using Xunit;

namespace SchemaBuild.Runtime.Tests.GhostCopy.MySql;

/// <summary>
/// Writers' commits wait behind a chunk's commit: once the change stream shows writes to the table, chunks
/// hold at most <see cref="GhostCopyOptions.MaxChunkRowsUnderWrites"/> rows; before that (idle) they keep
/// their full size.
/// </summary>
[Collection("ghost-copy load")]
public sealed class GhostCopyChunkUnderWritesTests
{
    [Fact]
    public async Task Chunks_shrink_to_the_cap_once_writes_to_the_table_are_applied()
    {
        const int Rows = 20_000;
        var (plan, database, _) = await MariaDbLoad.SetUpAsync("ghost_chunk_writes", Rows, workers: 1, writesPerSecond: 1);
        await using var owned = database;
        await using var writer = await database.OpenAsync();
        await using var reader = await database.OpenAsync();
        var copied = new List<long>();
        var firstSeenAfter = -1;
        var hooks = new GhostCopyHooks
        {
            AfterChunk = async (table, chunk, ct) =>
            {
                copied.Add(Convert.ToInt64((await reader.QueryAsync("SELECT COUNT(*) FROM `items__gho`", null, ct))[0][0]));
                if (firstSeenAfter < 0 && chunk > 1
                    && Convert.ToInt64((await reader.QueryAsync("SELECT qty FROM `items__gho` WHERE id = 5", null, ct))[0][0]) < 0)
                {
                    // The applier put a write into the shadow before this chunk: every later chunk knows of writes.
                    firstSeenAfter = chunk;
                }

                // A write at every chunk (row 5 was copied by the first chunk, so the applier copies it again): writes stay recent.
                await writer.ExecuteAsync("UPDATE items SET qty = CASE WHEN qty = -1 THEN -2 ELSE -1 END WHERE id = 5", null, ct);
            },
        };

        await using var session = await database.OpenAsync();
        var options = GhostCopyOptions.Default with { InitialChunkRows = 1000, MinChunkRows = 1000, MaxChunkRows = 1000, MaxChunkRowsUnderWrites = 100, Hooks = hooks };
        var result = await new Deployer().DeployAsync(plan, session, DeployOptions.Default with { GhostCopy = options }, CancellationToken.None);

        Assert.Equal(DeploymentOutcome.Deployed, result.Outcome);
        var sizes = copied.Select((n, i) => n - (i == 0 ? 0 : copied[i - 1])).ToList();
        Assert.Equal(1000L, sizes[0]);
        Assert.True(firstSeenAfter > 0, $"the applier never put the write into the shadow during the copy ({copied.Count} chunks)");
        var later = sizes.Skip(firstSeenAfter - 1).ToList();
        Assert.NotEmpty(later);
        Assert.All(later, n => Assert.InRange(n, 0L, 100L));
    }
}
