using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Online.Roles;
using SchemaBuild.Runtime.State;
using SchemaBuild.Runtime.Tests.GhostCopy.Load;
using Xunit;
using Xunit.Abstractions;

namespace SchemaBuild.Runtime.Tests.GhostCopy.MySql;

/// <summary>
/// Ghost copies under a bounded mixed write load on loopback: the table must equal the load's model
/// of every committed write, no write may fail, and the longest write stall is reported.
/// </summary>
[Collection("ghost-copy load")]
public sealed class GhostCopyLoadTests
{
    private readonly ITestOutputHelper output;

    public GhostCopyLoadTests(ITestOutputHelper output) => this.output = output;

    [Fact]
    public async Task A_200k_row_table_is_rebuilt_under_400_writes_per_second_and_equals_the_writers_model()
    {
        var (plan, database, load) = await MariaDbLoad.SetUpAsync("ghost_load", 200_000, workers: 8, writesPerSecond: 480);
        await using var owned = database;

        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var writing = load.RunAsync(stop.Token);
        await Task.Delay(1000);
        await using var session = await database.OpenAsync();
        var watch = Stopwatch.StartNew();
        var notes = new System.Collections.Generic.List<string>();
        var result = await new Deployer().DeployAsync(plan, session, DeployOptions.Default with { Progress = new RecordingProgress(notes) }, CancellationToken.None);
        var deployTime = watch.Elapsed;
        foreach (var line in notes)
        {
            output.WriteLine(line);
        }


        // Writes go on after the swap, on the new table.
        await Task.Delay(1500);
        stop.Cancel();
        await writing;

        output.WriteLine($"deploy {deployTime.TotalSeconds:0.0}s, cutover lock held {result.CutoverLockHeld.TotalMilliseconds:0} ms; load: {load.Summary()}");
        Assert.Equal(DeploymentOutcome.Deployed, result.Outcome);
        Assert.True(load.Failures.Count == 0, "writes failed:\n" + string.Join("\n", load.Failures.Take(10)));
        Assert.True(load.Rate >= 400, $"the load ran at {load.Rate:0} writes/s, below the 400 the test promises; {load.Summary()}");
        var differences = await load.CompareAsync(CancellationToken.None);
        Assert.True(differences.Count == 0, "the table differs from the writers' model:\n" + string.Join("\n", differences) + await OldRowsAsync(session, differences));
        ModelAssert.Same(plan.Target, await session.CreateIntrospector(StateTableNames.Default.All.Append("_items_old").ToList()).IntrospectAsync(CancellationToken.None), "after the ghost copy under load");
    }

    [Fact]
    public async Task A_cutover_that_cannot_get_its_lock_gives_up_within_the_lock_wait_writes_resume_and_a_retry_swaps()
    {
        var (plan, database, load) = await MariaDbLoad.SetUpAsync("ghost_lockwait", 20_000, workers: 4, writesPerSecond: 200);
        await using var owned = database;

        // A long transaction that read the table holds its metadata lock through the first cutover attempt.
        await using var blocker = await database.OpenAsync();
        var lockWait = TimeSpan.FromSeconds(1);
        var attempts = 0;
        var released = false;
        var hooks = new GhostCopyHooks
        {
            Cutover = new CutoverHooks
            {
                BeforeCutover = async ct =>
                {
                    attempts++;
                    output.WriteLine($"cutover attempt {attempts} at {load.NowMs / 1000:0.000}s");
                    if (attempts == 1)
                    {
                        await blocker.ExecuteAsync("START TRANSACTION", null, ct);
                        await blocker.QueryAsync("SELECT COUNT(*) FROM items WHERE id < 10", null, ct);
                    }
                    else if (!released)
                    {
                        await blocker.ExecuteAsync("COMMIT", null, ct);
                        released = true;
                    }
                },
            },
        };

        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var writing = load.RunAsync(stop.Token);
        await using var session = await database.OpenAsync();
        var options = DeployOptions.Default with { GhostCopy = GhostCopyOptions.Default with { CutoverLockWait = lockWait, Hooks = hooks } };
        var result = await new Deployer().DeployAsync(plan, session, options, CancellationToken.None);
        await Task.Delay(1000);
        stop.Cancel();
        await writing;

        output.WriteLine($"{attempts} cutover attempts; load: {load.Summary()}");
        Assert.Equal(DeploymentOutcome.Deployed, result.Outcome);
        Assert.True(attempts >= 2, $"the blocked cutover should have given up and retried; attempts: {attempts}");
        var row = Assert.Single(await new GhostCopyStore(session, StateTableNames.Default).ListAsync(result.DeploymentId, CancellationToken.None));
        Assert.Equal(attempts, row.CutoverAttempts);
        Assert.True(load.Failures.Count == 0, "writes failed:\n" + string.Join("\n", load.Failures.Take(10)));

        // Writers queued behind the blocked LOCK TABLES waited at most about the lock wait (plus scheduling on a busy machine).
        Assert.True(load.LongestStall.Ms < lockWait.TotalMilliseconds + 1500, $"writes stalled {load.LongestStall.Ms:0} ms, more than the {lockWait.TotalMilliseconds:0} ms lock wait allows; {load.Summary()}");
        var differences = await load.CompareAsync(CancellationToken.None);
        Assert.True(differences.Count == 0, "the table differs from the writers' model:\n" + string.Join("\n", differences) + await OldRowsAsync(session, differences));
    }

    /// <summary>For a failure message: the differing ids as the old table has them (written there after the drain, or never applied).</summary>
    internal static async Task<string> OldRowsAsync(Sessions.IDatabaseSession session, System.Collections.Generic.IReadOnlyList<string> differences)
    {
        var text = new System.Text.StringBuilder("\nin _items_old:");
        foreach (var difference in differences)
        {
            var id = long.Parse(difference.Split(':')[0].Substring(3), System.Globalization.CultureInfo.InvariantCulture);
            var rows = await session.QueryAsync("SELECT qty, name FROM _items_old WHERE id = ?", new object?[] { id }, CancellationToken.None);
            text.Append($"\n  id {id}: ").Append(rows.Count == 0 ? "absent" : $"({rows[0][0]}, {rows[0][1]})");
        }

        return text.ToString();
    }
}
