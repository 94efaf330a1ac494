using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.State;
using Xunit;

namespace SchemaBuild.Runtime.Tests.GhostCopy.MySql;

/// <summary>The throttle probes and the manual pause, each against a condition the test creates on the real server.</summary>
[Collection("ghost-copy load")]
public sealed class GhostCopyThrottleTests
{
    /// <summary>Probes asked before every chunk (no <see cref="GhostCopyOptions.ProbeInterval"/>): a condition the test creates after a chunk holds the next one.</summary>
    private static GhostCopyOptions Small(GhostCopyHooks? hooks = null) =>
        GhostCopyOptions.Default with { InitialChunkRows = 1000, MaxChunkRows = 1000, CheckpointInterval = TimeSpan.FromMilliseconds(200), ProbeInterval = TimeSpan.Zero, Hooks = hooks };

    [Fact]
    public async Task A_paused_copy_stops_copying_says_why_and_finishes_after_resume()
    {
        var (plan, database, _) = await MariaDbLoad.SetUpAsync("ghost_pause", 30_000, workers: 1, writesPerSecond: 1);
        await using var owned = database;
        await using var control = await database.OpenAsync();
        var store = new GhostCopyStore(control, StateTableNames.Default);
        Task? watching = null;
        var observed = new List<string>();
        var hooks = new GhostCopyHooks
        {
            AfterChunk = async (table, chunk, ct) =>
            {
                if (chunk != 3)
                {
                    return;
                }

                var id = (await store.ListAsync(null, ct)).Single().DeploymentId;
                Assert.Equal(1L, await store.SetPausedAsync(id, true, ct));

                // The copy reads the pause flag at its checkpoints (every 200 ms here); on an idle server the
                // remaining chunks take less than that, so hold this chunk until the next checkpoint is due.
                await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
                watching = Task.Run(async () =>
                {
                    // Wait until the copy says it is paused, then check it copies nothing for a while.
                    var waited = Stopwatch.StartNew();
                    GhostCopyRecord row;
                    while ((row = (await store.ListAsync(id, CancellationToken.None)).Single()).ThrottleReason?.Contains("paused", StringComparison.Ordinal) != true)
                    {
                        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "the copy did not report the pause within 30 s");
                        await Task.Delay(100);
                    }

                    var copied = row.RowsCopied;
                    await Task.Delay(1500);
                    var later = (await store.ListAsync(id, CancellationToken.None)).Single();
                    observed.Add($"{copied} {later.RowsCopied} {later.State} {later.ThrottleReason}");
                    await store.SetPausedAsync(id, false, CancellationToken.None);
                });
            },
        };

        await using var session = await database.OpenAsync();
        var result = await new Deployer().DeployAsync(plan, session, DeployOptions.Default with { GhostCopy = Small(hooks) }, CancellationToken.None);
        Assert.NotNull(watching);
        await watching!;
        Assert.Equal(DeploymentOutcome.Deployed, result.Outcome);
        var seen = Assert.Single(observed).Split(' ', 4);
        Assert.Equal(seen[0], seen[1]);
        Assert.Equal(GhostCopyState.Copying, seen[2]);
        Assert.Contains("dotnet schema resume", seen[3], StringComparison.Ordinal);
        var row = Assert.Single(await store.ListAsync(result.DeploymentId, CancellationToken.None));
        Assert.Equal(30_000, row.RowsCopied);
        Assert.Null(row.ThrottleReason);
    }

    [Fact]
    public async Task Threads_running_above_max_load_holds_the_copy_until_the_load_goes()
    {
        var (plan, database, _) = await MariaDbLoad.SetUpAsync("ghost_maxload", 20_000, workers: 1, writesPerSecond: 1);
        await using var owned = database;

        // After the first chunk, 30 sessions run a query at once: Threads_running is above 25 for 3 s.
        var sessions = new List<Sessions.IDatabaseSession>();
        for (var i = 0; i < 30; i++)
        {
            sessions.Add(await database.OpenAsync());
        }

        var busy = new List<Task<IReadOnlyList<object?[]>>>();
        var loaded = Stopwatch.StartNew();
        var hooks = new GhostCopyHooks
        {
            AfterChunk = (table, chunk, ct) =>
            {
                if (chunk == 1)
                {
                    busy.AddRange(sessions.Select(s => s.QueryAsync("SELECT SLEEP(3)", null, CancellationToken.None)));
                    loaded.Restart();
                }

                return Task.CompletedTask;
            },
        };
        var notes = new List<string>();
        await using var session = await database.OpenAsync();
        var result = await new Deployer().DeployAsync(plan, session, DeployOptions.Default with { GhostCopy = Small(hooks) with { MaxLoad = 25 }, Progress = new RecordingProgress(notes) }, CancellationToken.None);
        var took = loaded.Elapsed;
        await Task.WhenAll(busy);
        foreach (var s in sessions)
        {
            await s.DisposeAsync();
        }

        Assert.Equal(DeploymentOutcome.Deployed, result.Outcome);
        Assert.Contains(notes, n => n.Contains("waiting (load: Threads_running is", StringComparison.Ordinal) && n.Contains("above --max-load 25", StringComparison.Ordinal));
        Assert.True(took > TimeSpan.FromSeconds(2.5), $"the deploy finished {took.TotalSeconds:0.0} s after the load began, while the load lasted 3 s");
    }

    [Fact]
    public async Task A_replica_that_does_not_replicate_holds_the_copy_and_status_says_why()
    {
        var (plan, database, _) = await MariaDbLoad.SetUpAsync("ghost_replica", 20_000, workers: 1, writesPerSecond: 1);
        await using var owned = database;

        // The test server is not a replica: SHOW SLAVE STATUS is empty, which the lag probe treats as a reason to wait.
        await using var control = await database.OpenAsync();
        var store = new GhostCopyStore(control, StateTableNames.Default);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var options = DeployOptions.Default with { GhostCopy = Small() with { Replicas = new[] { database.UrlText } } };
        await using var session = await database.OpenAsync();
        var deploying = new Deployer().DeployAsync(plan, session, options, stop.Token);
        GhostCopyRecord? row = null;
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(60) && row?.ThrottleReason is null)
        {
            await Task.Delay(200);
            try
            {
                row = (await store.ListAsync(null, CancellationToken.None)).SingleOrDefault();
            }
            catch (System.Data.Common.DbException)
            {
                // The deploy is still creating or upgrading its control tables.
            }
        }

        await Task.Delay(1000);
        var later = (await store.ListAsync(null, CancellationToken.None)).Single();
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => deploying);

        Assert.NotNull(row?.ThrottleReason);
        Assert.Contains("replica lag", row!.ThrottleReason, StringComparison.Ordinal);
        Assert.Contains("not replicating", row.ThrottleReason, StringComparison.Ordinal);
        Assert.Equal(0, later.RowsCopied);

        // Without the replica, deploy again: the copy runs and swaps.
        await using var again = await database.OpenAsync();
        var result = await new Deployer().DeployAsync(plan, again, DeployOptions.Default with { GhostCopy = Small() }, CancellationToken.None);
        Assert.Equal(DeploymentOutcome.Deployed, result.Outcome);
    }
}
