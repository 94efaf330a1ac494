using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.State;
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
        await using var control = await database.OpenAsync();
        var controlTable = control.Writer.QuoteIdentifier(StateTableNames.Default.GhostCopies);
        var copied = new List<long>();
        var firstSeenAfter = -1;
        Task? resumeOnceApplied = null;

        // Holds the copy (paused through the control table) until the applier has put the write into the shadow: however fast
        // the chunks and however slow the change stream, the copy cannot end before the write is seen. The applier keeps
        // applying while the copy is paused.
        async Task ResumeOnceAppliedAsync()
        {
            await using var poll = await database.OpenAsync();
            var waited = Stopwatch.StartNew();
            while (Convert.ToInt64((await poll.QueryAsync("SELECT qty FROM `items__gho` WHERE id = 5", null, CancellationToken.None))[0][0]) >= 0)
            {
                Assert.True(waited.Elapsed < TimeSpan.FromMinutes(2), "the applier did not put the write into the shadow within 2 minutes while the copy was paused");
                await Task.Delay(50);
            }

            await poll.ExecuteAsync($"UPDATE {controlTable} SET paused = 0", null, CancellationToken.None);
        }

        var hooks = new GhostCopyHooks
        {
            AfterChunk = async (table, chunk, ct) =>
            {
                copied.Add(Convert.ToInt64((await reader.QueryAsync("SELECT COUNT(*) FROM `items__gho`", null, ct))[0][0]));
                if (firstSeenAfter < 0 && chunk > 1
                    && Convert.ToInt64((await reader.QueryAsync("SELECT qty FROM `items__gho` WHERE id = 5", null, ct))[0][0]) < 0)
                {
                    // The applier put the write into the shadow before this chunk: this chunk and every later one know of writes.
                    firstSeenAfter = chunk;
                }

                if (chunk == 1)
                {
                    // Row 5 was copied by the first chunk, so the applier copies it again: the copy's first write.
                    await writer.ExecuteAsync("UPDATE items SET qty = -1 WHERE id = 5", null, ct);
                    await control.ExecuteAsync($"UPDATE {controlTable} SET paused = 1", null, ct);
                    resumeOnceApplied = ResumeOnceAppliedAsync();
                }
            },
        };

        await using var session = await database.OpenAsync();
        // The pause flag is read at every checkpoint (each chunk here); writes stay "recent" for the whole copy, so every chunk
        // after the first write seen is capped, whatever the machine's speed.
        var options = GhostCopyOptions.Default with
        {
            InitialChunkRows = 1000, MinChunkRows = 1000, MaxChunkRows = 1000, MaxChunkRowsUnderWrites = 100, Hooks = hooks,
            CheckpointInterval = TimeSpan.Zero, WritesRecently = TimeSpan.FromHours(1),
        };
        var result = await new Deployer().DeployAsync(plan, session, DeployOptions.Default with { GhostCopy = options }, CancellationToken.None);

        Assert.Equal(DeploymentOutcome.Deployed, result.Outcome);
        Assert.NotNull(resumeOnceApplied);
        await resumeOnceApplied!;
        // Chunk ends come by arithmetic from the table's row estimate (statistics): a chunk may hold up to MaxSpanPerRow times the
        // rows asked for, never fewer on this dense key (but the last).
        var span = (long)Engines.MySql.Online.MySqlChunkEnds.MaxSpanPerRow;
        var sizes = copied.Select((n, i) => n - (i == 0 ? 0 : copied[i - 1])).ToList();
        Assert.InRange(sizes[0], 1000L, 1000L * span);
        Assert.Equal(2, firstSeenAfter);
        var later = sizes.Skip(firstSeenAfter - 1).ToList();
        Assert.True(later.Count >= (Rows - (1000 * span)) / (100 * span), $"{later.Count} chunks after the write was seen: {string.Join(", ", later)}");
        Assert.All(later, n => Assert.InRange(n, 0L, 100L * span));
    }
}
