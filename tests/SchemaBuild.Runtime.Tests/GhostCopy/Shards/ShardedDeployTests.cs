using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Deployment.Shards;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Online.Roles;
using SchemaBuild.Runtime.State;
using Xunit;
using Xunit.Abstractions;

namespace SchemaBuild.Runtime.Tests.GhostCopy.Shards;

/// <summary>
/// One plan on several databases of one engine (deploy --targets): the cutover waits until every
/// shard is in sync, whatever the gate mode, then happens on all within seconds; a shard that fails
/// before the cutover holds them all at the gate until it is fixed, or the deployment is cancelled.
/// </summary>
[Collection("ghost-copy load")]
public sealed class ShardedDeployTests
{
    /// <summary>The shared PostgreSQL server lists other runs' logical streams as replicas: lag throttling is not under test here.</summary>
    private static readonly TimeSpan IgnoreReplicas = TimeSpan.FromDays(1);

    private static readonly TimeSpan Held = TimeSpan.FromSeconds(4);

    private readonly ITestOutputHelper output;

    public ShardedDeployTests(ITestOutputHelper output) => this.output = output;

    [Theory]
    [InlineData(DialectKind.MariaDb)]
    [InlineData(DialectKind.Postgres)]
    public async Task Nobody_cuts_over_until_the_slow_shard_is_in_sync_then_every_shard_cuts_over_within_seconds(DialectKind dialect)
    {
        await using var set = await ShardSet.CreateAsync(dialect, "shard_slow", 4, rows: 2000);
        const int slow = 3;
        var slowHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lines = new ConcurrentQueue<string>();
        var shardOptions = Options(lines) with
        {
            ParallelPerServer = 4,
            // The slow shard: its copy stops after its first chunk until the test lets it go, however fast the server.
            ForShard = WithHooks(slow, new GhostCopyHooks
            {
                AfterChunk = async (_, _, ct) =>
                {
                    slowHeld.TrySetResult();
                    await release.Task.WaitAsync(ct);
                },
            }),
        };
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var load = set.RunLoad(stop.Token);
        try
        {
            var deploy = new ShardedDeployer().DeployAsync(set.Plan, set.Targets, Deploy(), shardOptions, stop.Token);
            await Task.WhenAny(slowHeld.Task, deploy).WaitAsync(TimeSpan.FromMinutes(2));
            Assert.False(deploy.IsCompleted, $"the deploy ended before the slow shard was held: {deploy.Exception?.GetBaseException().Message}\n{Log(lines)}");
            await set.WaitReadyAsync(new[] { 0, 1, 2 }, TimeSpan.FromMinutes(2));
            await Task.Delay(Held);

            // Three shards in sync for seconds, the slow one still copying: nobody cut over.
            var copies = await set.CopiesAsync();
            Assert.False(deploy.IsCompleted, Log(lines));
            Assert.All(copies.Take(3), c => Assert.Equal(GhostCopyState.InSync, Assert.Single(c).State));
            Assert.Equal(GhostCopyState.Copying, Assert.Single(copies[slow]).State);
            foreach (var shard in set.Shards)
            {
                Assert.StartsWith("int", await shard.QtyTypeAsync(), StringComparison.Ordinal);
            }

            release.TrySetResult();
            var result = await deploy.WaitAsync(TimeSpan.FromMinutes(2));
            var cutover = Assert.Single(result.Cutovers);
            output.WriteLine(Log(lines));
            output.WriteLine($"{dialect}: cutover spread across {cutover.Shards} shards: {cutover.Spread.TotalMilliseconds:0} ms (first {cutover.First}, last {cutover.Last}); the first shard ready waited {cutover.HeldAtGate.TotalSeconds:0.0}s at the gate");
            Assert.Equal(4, cutover.Shards);
            Assert.True(cutover.Spread < TimeSpan.FromSeconds(5), $"cutover spread {cutover.Spread}");
            Assert.True(cutover.HeldAtGate >= Held, $"the shards ready first were held only {cutover.HeldAtGate}");

            // One deployment id on every shard, each cut over with the approval the barrier gave, after the slow shard was ready.
            copies = await set.CopiesAsync();
            var slowReady = Assert.Single(copies[slow]).ReadyAt!.Value;
            Assert.All(copies, c =>
            {
                var copy = Assert.Single(c);
                Assert.Equal(result.DeploymentId, copy.DeploymentId);
                Assert.Equal(GhostCopyState.Done, copy.State);
                Assert.StartsWith("auto", copy.ApprovedBy, StringComparison.Ordinal);
                Assert.True(copy.ApprovedAt >= slowReady, $"approved at {copy.ApprovedAt} before the slow shard was ready at {slowReady}");
            });
            await Task.Delay(500);
            stop.Cancel();
            await Task.WhenAll(load);
            await set.AssertOnNewSchemaWithEveryWriteAsync();
        }
        finally
        {
            output.WriteLine("--- progress ---\n" + Log(lines));
            release.TrySetResult();
            stop.Cancel();
            await Task.WhenAll(load);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_shard_failing_before_the_cutover_holds_every_shard_at_the_gate_until_fixed_or_cancelled(bool fix)
    {
        await using var set = await ShardSet.CreateAsync(DialectKind.MariaDb, "shard_fail", 3, rows: 2000);
        const int bad = 1;
        var broken = 1;
        var lines = new ConcurrentQueue<string>();
        // Default --parallel: the three shards share one server and copy one at a time; a shard in sync at the gate lets the next copy.
        var shardOptions = Options(lines) with
        {
            ForShard = WithHooks(bad, new GhostCopyHooks
            {
                AfterCopy = _ => Volatile.Read(ref broken) == 1 ? throw new InvalidOperationException("simulated failure: the shard's disk is full") : Task.CompletedTask,
            }),
        };
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var deploy = new ShardedDeployer().DeployAsync(set.Plan, set.Targets, Deploy(), shardOptions, stop.Token);
        await set.WaitReadyAsync(new[] { 0, 2 }, TimeSpan.FromMinutes(2));
        await WaitForAsync(() => lines.Count(l => l.StartsWith($"[{ShardSet.Name(bad)}] failed: ", StringComparison.Ordinal)) >= 2, TimeSpan.FromMinutes(1), "two failures of the bad shard", lines);
        await Task.Delay(Held);

        var copies = await set.CopiesAsync();
        Assert.False(deploy.IsCompleted, Log(lines));
        Assert.Equal(GhostCopyState.InSync, Assert.Single(copies[0]).State);
        Assert.Equal(GhostCopyState.InSync, Assert.Single(copies[2]).State);
        await set.WaitForCopyAsync(bad, c => c.Error?.Contains("disk is full", StringComparison.Ordinal) == true, "recorded failure", TimeSpan.FromMinutes(1));
        Assert.Contains(lines, l => l.Contains("held at the gate", StringComparison.Ordinal) || l.Contains("every shard is held at the gate", StringComparison.Ordinal));
        foreach (var shard in set.Shards)
        {
            Assert.StartsWith("int", await shard.QtyTypeAsync(), StringComparison.Ordinal);
        }

        if (fix)
        {
            Volatile.Write(ref broken, 0);
            var result = await deploy.WaitAsync(TimeSpan.FromMinutes(2));
            var cutover = Assert.Single(result.Cutovers);
            output.WriteLine(Log(lines));
            output.WriteLine($"after the fix: cutover spread across {cutover.Shards} shards {cutover.Spread.TotalMilliseconds:0} ms");
            Assert.True(cutover.Spread < TimeSpan.FromSeconds(5), $"cutover spread {cutover.Spread}");
            foreach (var shard in set.Shards)
            {
                Assert.StartsWith("bigint", await shard.QtyTypeAsync(), StringComparison.Ordinal);
            }

            return;
        }

        // Cancelled on one shard: the whole deployment is cancelled, every shard's shadow removed, the originals untouched.
        await using (var session = await set.Shards[0].Database.OpenAsync())
        {
            await DeploymentGate.CancelAsync(session, DeployOptions.Default, Assert.Single(copies[0]).DeploymentId, "test", TimeSpan.FromSeconds(60), CancellationToken.None);
        }

        DeploymentRefusedException refused;
        try
        {
            refused = await Assert.ThrowsAsync<DeploymentRefusedException>(() => deploy.WaitAsync(TimeSpan.FromMinutes(2)));
        }
        finally
        {
            output.WriteLine(Log(lines));
        }

        Assert.Contains("was cancelled", refused.Message, StringComparison.Ordinal);
        foreach (var (shard, index) in set.Shards.Select((s, i) => (s, i)))
        {
            Assert.StartsWith("int", await shard.QtyTypeAsync(), StringComparison.Ordinal);
            Assert.True((await shard.TablesAsync()).SequenceEqual(new[] { "items" }), $"{ShardSet.Name(index)} keeps leftovers: {string.Join(", ", await shard.TablesAsync())}");
        }
    }

    [Fact]
    public async Task A_shard_failing_between_the_barrier_opening_and_its_swap_is_retried_until_it_follows_and_status_names_the_swapped_shards()
    {
        await using var set = await ShardSet.CreateAsync(DialectKind.MariaDb, "shard_swap", 3, rows: 2000);
        const int bad = 1;
        var broken = 1;
        var failures = 0;
        var lines = new ConcurrentQueue<string>();
        // The bad shard passes the barrier with the others, then fails right before it asks for the cutover lock, every time, until fixed.
        var shardOptions = Options(lines) with
        {
            ParallelPerServer = 3,
            ForShard = WithHooks(bad, FailingBeforeSwap(() => Volatile.Read(ref broken) == 1, () => Interlocked.Increment(ref failures), "simulated failure: the shard's connection dropped before its swap")),
        };
        var environment = set.Shards.Select((s, i) => (Name: $"SB_TEST_SWAP_{Environment.ProcessId}_{i}", s.Database.UrlText)).ToDictionary(v => v.Name, v => v.UrlText);
        var targets = Path.Combine(Path.GetTempPath(), $"sb-targets-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(targets, "{\"shards\": [" + string.Join(", ", environment.Keys.Select((v, i) => $"{{\"name\": \"{ShardSet.Name(i)}\", \"connectionEnv\": \"{v}\"}}")) + "]}");
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var load = set.RunLoad(stop.Token);
        try
        {
            var deploy = new ShardedDeployer().DeployAsync(set.Plan, set.Targets, Deploy(), shardOptions, stop.Token);

            // Failed twice after the others swapped: released alone again in between, it is still retried, and named as behind.
            var behind = $"[{ShardSet.Name(bad)}] other shards already cut over ({ShardSet.Name(0)}, {ShardSet.Name(2)})";
            await WaitForAsync(() => deploy.IsCompleted || lines.Count(l => l.StartsWith(behind, StringComparison.Ordinal)) >= 2, TimeSpan.FromMinutes(3), "two failures of the bad shard after the others swapped", lines);
            Assert.False(deploy.IsCompleted, $"the deploy ended while a shard was behind: {deploy.Exception?.GetBaseException().Message}\n{Log(lines)}");
            Assert.True(Volatile.Read(ref failures) >= 2, $"{failures} failure(s) before the swap");
            Assert.Contains(lines, l => l.StartsWith($"[{ShardSet.Name(bad)}] ", StringComparison.Ordinal) && l.Contains("resuming from the checkpoint", StringComparison.Ordinal));
            var copies = await set.CopiesAsync();
            var id = Assert.Single(copies[0]).DeploymentId;
            Assert.Equal(GhostCopyState.Done, Assert.Single(copies[0]).State);
            Assert.Equal(GhostCopyState.Done, Assert.Single(copies[2]).State);
            Assert.NotEqual(GhostCopyState.Done, Assert.Single(copies[bad]).State);
            await set.WaitForCopyAsync(bad, c => c.Error?.Contains("connection dropped before its swap", StringComparison.Ordinal) == true, "recorded failure", TimeSpan.FromMinutes(1));
            Assert.StartsWith("bigint", await set.Shards[0].QtyTypeAsync(), StringComparison.Ordinal);
            Assert.StartsWith("int", await set.Shards[bad].QtyTypeAsync(), StringComparison.Ordinal);
            Assert.StartsWith("bigint", await set.Shards[2].QtyTypeAsync(), StringComparison.Ordinal);

            // status --targets --format json says which shards swapped and which not.
            var split = Swaps(SchemaTool.Run(environment, "status", "--targets", targets, "--deployment", id, "--format", "json"), id);
            Assert.Equal(new[] { ShardSet.Name(0), ShardSet.Name(2) }, split.Swapped);
            Assert.Equal(new[] { ShardSet.Name(bad) }, split.NotSwapped);
            Assert.Empty(split.Unknown);

            Volatile.Write(ref broken, 0);
            var result = await deploy.WaitAsync(TimeSpan.FromMinutes(2));
            var cutover = Assert.Single(result.Cutovers);
            output.WriteLine($"cutover across {cutover.Shards} shards with one shard failing {failures} time(s) before its swap: spread {cutover.Spread.TotalSeconds:0.0}s (first {cutover.First}, last {cutover.Last})");
            Assert.Equal(3, cutover.Shards);
            Assert.Equal(ShardSet.Name(bad), cutover.Last);
            await Task.Delay(500);
            stop.Cancel();
            await Task.WhenAll(load);
            await set.AssertOnNewSchemaWithEveryWriteAsync();

            var after = Swaps(SchemaTool.Run(environment, "status", "--targets", targets, "--deployment", id, "--format", "json"), id);
            Assert.Equal(set.Shards.Select((_, i) => ShardSet.Name(i)), after.Swapped);
            Assert.Empty(after.NotSwapped);
        }
        finally
        {
            output.WriteLine("--- progress ---\n" + Log(lines));
            stop.Cancel();
            await Task.WhenAll(load);
            File.Delete(targets);
        }
    }

    [Fact]
    public async Task A_shard_that_keeps_failing_after_the_others_swapped_is_given_up_after_the_bounded_retries_and_the_next_deploy_brings_it_over()
    {
        await using var set = await ShardSet.CreateAsync(DialectKind.MariaDb, "shard_giveup", 2, rows: 2000);
        const int bad = 1;
        const int retries = 2;
        var broken = 1;
        var failures = 0;
        var lines = new ConcurrentQueue<string>();
        var shardOptions = Options(lines) with
        {
            ParallelPerServer = 2,
            RetriesAfterCutover = retries,
            ForShard = WithHooks(bad, FailingBeforeSwap(() => Volatile.Read(ref broken) == 1, () => Interlocked.Increment(ref failures), "simulated failure: the shard refuses its swap every time")),
        };
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            // The failure repeats after the other shard swapped: after the bounded retries the deploy ends, naming the split.
            var refused = await Assert.ThrowsAsync<DeploymentRefusedException>(() => new ShardedDeployer().DeployAsync(set.Plan, set.Targets, Deploy(), shardOptions, stop.Token).WaitAsync(TimeSpan.FromMinutes(3)));
            Assert.Contains($"[{ShardSet.Name(bad)}] ", refused.Message, StringComparison.Ordinal);
            Assert.Contains("refuses its swap", refused.Message, StringComparison.Ordinal);
            Assert.Contains($"Shards on the new schema: {ShardSet.Name(0)}", refused.Message, StringComparison.Ordinal);
            Assert.Contains("run deploy --targets again", refused.Message, StringComparison.Ordinal);
            Assert.Single(lines, l => l.StartsWith($"[{ShardSet.Name(bad)}] gave up after {retries + 1} failed runs while other shards already cut over ({ShardSet.Name(0)})", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains($"(retry {retries} of {retries})", StringComparison.Ordinal));
            Assert.True(Volatile.Read(ref failures) >= retries + 1, $"{failures} failure(s)");
            Assert.StartsWith("bigint", await set.Shards[0].QtyTypeAsync(), StringComparison.Ordinal);
            Assert.StartsWith("int", await set.Shards[bad].QtyTypeAsync(), StringComparison.Ordinal);

            // Fixed, the next deploy resumes the failed shard with its recorded approval and it cuts over too.
            Volatile.Write(ref broken, 0);
            var result = await new ShardedDeployer().DeployAsync(set.Plan, set.Targets, Deploy(), shardOptions, stop.Token).WaitAsync(TimeSpan.FromMinutes(3));
            Assert.Equal(DeploymentOutcome.Deployed, result.Shards.Single(s => s.Shard.Name == ShardSet.Name(bad)).Result.Outcome);
            Assert.StartsWith("bigint", await set.Shards[bad].QtyTypeAsync(), StringComparison.Ordinal);
        }
        finally
        {
            output.WriteLine("--- progress ---\n" + Log(lines));
        }
    }

    /// <summary>
    /// Giving up stops only the shards that would wait for the failed one at a gate: a shard that swapped and is still
    /// running its deploy when the bad shard gives up finishes it, and the error reports each shard's true state.
    /// </summary>
    [Fact]
    public async Task A_shard_that_gives_up_lets_a_shard_still_running_after_its_swap_finish_and_reports_each_shards_state()
    {
        await using var set = await ShardSet.CreateAsync(DialectKind.MariaDb, "shard_giveup_run", 3, rows: 2000);
        const int bad = 1;
        const int running = 2;
        var lines = new ConcurrentQueue<string>();
        var afterSwap = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var release = new ManualResetEventSlim();
        var shardOptions = Options(lines) with
        {
            ParallelPerServer = 3,
            RetriesAfterCutover = 1,
            ForShard = WithHooks(bad, FailingBeforeSwap(() => true, () => { }, "simulated failure: the shard refuses its swap every time")),
            // The running shard stops right after its ghost-copy step finished (swapped) until the bad shard has given up.
            ProgressFor = name => name == ShardSet.Name(running) ? new HeldAfterSwap(new LineProgress(name, lines), afterSwap, release) : new LineProgress(name, lines),
        };
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var deploy = new ShardedDeployer().DeployAsync(set.Plan, set.Targets, Deploy(), shardOptions, stop.Token);
        try
        {
            await Task.WhenAny(afterSwap.Task, deploy).WaitAsync(TimeSpan.FromMinutes(3));
            Assert.False(deploy.IsCompleted, $"the deploy ended before the running shard swapped: {deploy.Exception?.GetBaseException().Message}\n{Log(lines)}");
            var gaveUp = $"[{ShardSet.Name(bad)}] gave up after 2 failed runs";
            await WaitForAsync(() => lines.Any(l => l.StartsWith(gaveUp, StringComparison.Ordinal)), TimeSpan.FromMinutes(2), "give-up", lines);
            release.Set();

            var refused = await Assert.ThrowsAsync<DeploymentRefusedException>(() => deploy.WaitAsync(TimeSpan.FromMinutes(2)));
            output.WriteLine(refused.Message);
            Assert.Contains("failed on 1 of 3 shard(s):", refused.Message, StringComparison.Ordinal);
            Assert.Contains($"[{ShardSet.Name(bad)}] step 1 (alter-column items, ghost-copy) failed: simulated failure: the shard refuses its swap every time", refused.Message, StringComparison.Ordinal);
            Assert.Contains($"Shards on the new schema: {ShardSet.Name(0)}, {ShardSet.Name(running)}", refused.Message, StringComparison.Ordinal);
            Assert.Contains($"[{ShardSet.Name(0)}] finished its deploy", refused.Message, StringComparison.Ordinal);
            Assert.Contains($"[{ShardSet.Name(running)}] finished its deploy", refused.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("stopped", refused.Message, StringComparison.Ordinal);
            Assert.Contains("run deploy --targets again", refused.Message, StringComparison.Ordinal);

            // The running shard's deploy ran to its end: recorded succeeded, on the new schema.
            Assert.StartsWith("bigint", await set.Shards[running].QtyTypeAsync(), StringComparison.Ordinal);
            Assert.StartsWith("int", await set.Shards[bad].QtyTypeAsync(), StringComparison.Ordinal);
            await using var session = await set.Shards[running].Database.OpenAsync();
            var deployments = await new DeploymentStateStore(session, StateTableNames.Default).ListAsync(10, CancellationToken.None);
            Assert.Equal(StepStatus.Succeeded, Assert.Single(deployments).Status);
        }
        finally
        {
            output.WriteLine("--- progress ---\n" + Log(lines));
            release.Set();
            stop.Cancel();
            await Task.WhenAny(deploy, Task.Delay(TimeSpan.FromMinutes(1)));
        }
    }

    /// <summary>
    /// Two gates (two columns retyped on PostgreSQL, cut over run by run). Shard 2 never passes the first gate and gives
    /// up; shard 1 waits at the second gate and is stopped there; shard 3 is still copying its second run when shard 2
    /// gives up: it finishes that copy, reaches the second gate, and is stopped there too, not in the middle of its copy.
    /// </summary>
    [Fact]
    public async Task A_shard_that_gives_up_stops_the_shards_at_a_later_gate_and_a_copying_shard_when_it_reaches_it()
    {
        const string Baseline = "CREATE TABLE items (id integer NOT NULL PRIMARY KEY, qty integer NOT NULL, n integer NOT NULL);\n";
        var plan = Plans.Between(DialectKind.Postgres, Baseline, Baseline.Replace("qty integer", "qty bigint", StringComparison.Ordinal).Replace("n integer", "n bigint", StringComparison.Ordinal));
        Assert.Equal(2, GatedOrder.Arrange(plan.Steps, oneGate: false).Runs.Count);
        var databases = new TestDatabase[3];
        for (var i = 0; i < databases.Length; i++)
        {
            databases[i] = await TestDatabase.CreateAsync(DialectKind.Postgres, $"shard_giveup_gate{i}");
            await databases[i].RunAsync(Baseline + "INSERT INTO items SELECT g, g % 1000, g FROM generate_series(1, 2000) g;\nVACUUM ANALYZE items;\n");
        }

        const int bad = 1;
        const int copying = 2;
        var lines = new ConcurrentQueue<string>();
        var inSecondRun = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var copies = 0;
        var hooked = WithHooks(bad, FailingBeforeSwap(() => true, () => { }, "simulated failure: the shard refuses its swap every time"));
        var shardOptions = Options(lines) with
        {
            ParallelPerServer = 3,
            RetriesAfterCutover = 1,
            ForShard = (name, o) => name != ShardSet.Name(copying) ? hooked(name, o) : o with
            {
                GhostCopy = o.GhostCopy with
                {
                    // The copying shard stops after the first chunk of its second run until the bad shard has given up.
                    Hooks = new GhostCopyHooks
                    {
                        AfterChunk = async (_, chunk, ct) =>
                        {
                            if (chunk == 1 && Interlocked.Increment(ref copies) == 2)
                            {
                                inSecondRun.TrySetResult();
                                await release.Task.WaitAsync(ct);
                            }
                        },
                    },
                },
            },
        };
        var targets = databases.Select((d, i) => new ShardTarget(ShardSet.Name(i), d.Url)).ToList();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var deploy = new ShardedDeployer().DeployAsync(plan, targets, KeepNoOldTable(), shardOptions, stop.Token);
        try
        {
            await Task.WhenAny(inSecondRun.Task, deploy).WaitAsync(TimeSpan.FromMinutes(3));
            Assert.False(deploy.IsCompleted, $"the deploy ended before shard 3 reached its second run: {deploy.Exception?.GetBaseException().Message}\n{Log(lines)}");
            await WaitForAsync(() => deploy.IsCompleted || lines.Any(l => l.StartsWith($"[{ShardSet.Name(bad)}] gave up after 2 failed runs", StringComparison.Ordinal)), TimeSpan.FromMinutes(2), "give-up", lines);
            Assert.False(deploy.IsCompleted, $"the deploy ended while shard 3 was still copying: {deploy.Exception?.GetBaseException().Message}\n{Log(lines)}");
            release.TrySetResult();

            var refused = await Assert.ThrowsAsync<DeploymentRefusedException>(() => deploy.WaitAsync(TimeSpan.FromMinutes(2)));
            output.WriteLine(refused.Message);
            Assert.Contains("failed on 1 of 3 shard(s), stopped on 2:", refused.Message, StringComparison.Ordinal);
            Assert.Contains($"[{ShardSet.Name(bad)}] step 1 (alter-column public.items.qty, ghost-copy) failed", refused.Message, StringComparison.Ordinal);
            Assert.Contains("refuses its swap every time", refused.Message, StringComparison.Ordinal);
            Assert.Contains($"[{ShardSet.Name(0)}] stopped at the gate of step 2, resumable: it waited there for {ShardSet.Name(bad)}, which gave up", refused.Message, StringComparison.Ordinal);
            Assert.Contains($"[{ShardSet.Name(copying)}] stopped at the gate of step 2, resumable", refused.Message, StringComparison.Ordinal);

            // The copying shard finished its second run's copy and reached the gate before it stopped.
            Assert.Equal(new[] { "bigint", "integer" }, await TypesAsync(databases[copying]));
            Assert.Equal(new[] { "integer", "integer" }, await TypesAsync(databases[bad]));
            await using var session = await databases[copying].OpenAsync();
            var second = (await new GhostCopyStore(session, StateTableNames.Default).ListAsync(null, CancellationToken.None)).Single(c => c.StepId == 2);
            Assert.True(second.CopyComplete && second.ReadyAt is not null, $"shard 3's second copy stopped in {second.State}, copy complete {second.CopyComplete}, ready at {second.ReadyAt}");
        }
        finally
        {
            output.WriteLine("--- progress ---\n" + Log(lines));
            release.TrySetResult();
            stop.Cancel();
            await Task.WhenAny(deploy, Task.Delay(TimeSpan.FromMinutes(1)));
            foreach (var database in databases)
            {
                await database.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Two columns retyped on PostgreSQL: two ghost copies of one table, so the deployment cuts over run by run, one gate per
    /// run. Shard 2 passed the first gate in an earlier process; shard 1 has both ahead. The first gate opens for shard 1 alone,
    /// shard 2 waits at the second until shard 1 is there too, then both cut over it together.
    /// </summary>
    [Fact]
    public async Task Shards_at_different_gates_pass_each_gate_together_the_one_behind_first()
    {
        const string Baseline = "CREATE TABLE items (id integer NOT NULL PRIMARY KEY, qty integer NOT NULL, n integer NOT NULL);\n";
        var plan = Plans.Between(DialectKind.Postgres, Baseline, Baseline.Replace("integer NOT NULL,", "bigint NOT NULL,", StringComparison.Ordinal).Replace("n integer", "n bigint", StringComparison.Ordinal));
        Assert.Equal(2, plan.Steps.Count(s => s.Strategy == Core.Planning.Strategy.GhostCopy));
        Assert.Equal(2, GatedOrder.Arrange(plan.Steps, oneGate: false).Runs.Count);
        await using var first = await TestDatabase.CreateAsync(DialectKind.Postgres, "shard_gates1");
        await using var second = await TestDatabase.CreateAsync(DialectKind.Postgres, "shard_gates2");
        foreach (var database in new[] { first, second })
        {
            await database.RunAsync(Baseline + "INSERT INTO items SELECT g, g % 1000, g FROM generate_series(1, 2000) g;\nVACUUM ANALYZE items;\n");
        }

        // Shard 2, an earlier process: the first run cut over, the second run's copy failed.
        await using (var session = await second.OpenAsync())
        {
            var groups = 0;
            var failing = KeepNoOldTable() with
            {
                GhostCopy = KeepNoOldTable().GhostCopy with
                {
                    Hooks = new GhostCopyHooks { AfterChunk = (_, chunk, _) => chunk == 1 && ++groups == 2 ? throw new InvalidOperationException("simulated failure: the process died in the second run") : Task.CompletedTask },
                },
            };
            await Assert.ThrowsAsync<StepFailedException>(() => new Deployer().DeployAsync(plan, session, failing, CancellationToken.None));
        }

        Assert.Equal(new[] { "bigint", "integer" }, await TypesAsync(second));
        var lines = new ConcurrentQueue<string>();
        var heldInSecondRun = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstGroups = 0;
        var shardOptions = Options(lines) with
        {
            ParallelPerServer = 2,
            // Shard 1 stops in its second run's copy until the test lets it go: shard 2 meanwhile waits at that run's gate.
            ForShard = WithHooks(0, new GhostCopyHooks
            {
                AfterChunk = async (_, chunk, ct) =>
                {
                    if (chunk == 1 && Interlocked.Increment(ref firstGroups) == 2)
                    {
                        heldInSecondRun.TrySetResult();
                        await release.Task.WaitAsync(ct);
                    }
                },
            }),
        };
        var targets = new[] { new ShardTarget(ShardSet.Name(0), first.Url), new ShardTarget(ShardSet.Name(1), second.Url) };
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var deploy = new ShardedDeployer().DeployAsync(plan, targets, KeepNoOldTable(), shardOptions, stop.Token);
        try
        {
            await Task.WhenAny(heldInSecondRun.Task, deploy).WaitAsync(TimeSpan.FromMinutes(3));
            Assert.False(deploy.IsCompleted, $"the deploy ended before shard 1 reached its second run: {deploy.Exception?.GetBaseException().Message}\n{Log(lines)}");
            await Task.Delay(Held);

            // Shard 1 passed the first gate alone; shard 2 did not cut over the second gate without it.
            Assert.Equal(new[] { "bigint", "integer" }, await TypesAsync(first));
            Assert.Equal(new[] { "bigint", "integer" }, await TypesAsync(second));
            await using (var session = await second.OpenAsync())
            {
                var copies = await new GhostCopyStore(session, StateTableNames.Default).ListAsync(null, CancellationToken.None);
                Assert.Equal(GhostCopyState.InSync, copies.Single(c => c.StepId == 2).State);
            }

            release.TrySetResult();
            var result = await deploy.WaitAsync(TimeSpan.FromMinutes(3));
            Assert.Equal(new[] { "bigint", "bigint" }, await TypesAsync(first));
            Assert.Equal(new[] { "bigint", "bigint" }, await TypesAsync(second));
            var together = result.Cutovers[^1];
            output.WriteLine($"second gate: {together.Shards} shards, spread {together.Spread.TotalMilliseconds:0} ms");
            Assert.Equal(2, together.Shards);
            Assert.True(together.Spread < TimeSpan.FromSeconds(5), $"cutover spread {together.Spread}");
            Assert.Contains(lines, l => l.Contains("cutting over the gate of step 1 on 1 shard(s) (the others are past it", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("cutting over the gate of step 2 on 2 shard(s)", StringComparison.Ordinal));
        }
        finally
        {
            output.WriteLine("--- progress ---\n" + Log(lines));
            release.TrySetResult();
            stop.Cancel();
            await Task.WhenAny(deploy, Task.Delay(TimeSpan.FromMinutes(1)));
        }
    }

    /// <summary>A table rebuilt twice: the second copy needs the first one's old table gone (--drop-old).</summary>
    private static DeployOptions KeepNoOldTable() => Deploy() with { GhostCopy = Deploy().GhostCopy with { DropOld = true } };

    /// <summary>The declared types of <c>items.qty</c> and <c>items.n</c>.</summary>
    private static async Task<string[]> TypesAsync(TestDatabase database)
    {
        await using var session = await database.OpenAsync();
        var rows = await session.QueryAsync(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname IN ('qty', 'n') ORDER BY attname DESC", null, CancellationToken.None);
        return rows.Select(r => (string)r[0]!).ToArray();
    }

    /// <summary>The shards status JSON lists as swapped, not swapped and unknown for the deployment.</summary>
    private static (string[] Swapped, string[] NotSwapped, string[] Unknown) Swaps(SchemaTool.Result status, string id)
    {
        Assert.True(status.ExitCode == 0, status.ToString());
        var deployment = JsonDocument.Parse(status.Output).RootElement.GetProperty("deployments").EnumerateArray().Single(d => d.GetProperty("id").GetString() == id);
        string[] Names(string list) => deployment.GetProperty(list).EnumerateArray().Select(e => e.GetString()!).ToArray();
        return (Names("swappedShards"), Names("notSwappedShards"), Names("unknownShards"));
    }

    private static DeployOptions Deploy() => DeployOptions.Default with
    {
        LockWait = LockWaitPolicy.Default with { LockWait = TimeSpan.FromSeconds(10) },
        GhostCopy = GhostCopyOptions.Default with { MaxLag = IgnoreReplicas, RevertWindow = TimeSpan.Zero },
    };

    /// <summary>Hooks that fail the shard right before it asks for the cutover lock, counting each failure, while <paramref name="broken"/> says so.</summary>
    private static GhostCopyHooks FailingBeforeSwap(Func<bool> broken, Action failed, string message) => new()
    {
        Cutover = new CutoverHooks
        {
            BeforeCutover = _ =>
            {
                if (!broken())
                {
                    return Task.CompletedTask;
                }

                failed();
                throw new InvalidOperationException(message);
            },
        },
    };

    /// <summary>The ghost-copy hooks of one shard (the others run without).</summary>
    private static Func<string, DeployOptions, DeployOptions> WithHooks(int shard, GhostCopyHooks hooks) =>
        (name, o) => name != ShardSet.Name(shard) ? o : o with { GhostCopy = o.GhostCopy with { Hooks = hooks } };

    private static ShardDeployOptions Options(ConcurrentQueue<string> lines) => ShardDeployOptions.Default with
    {
        RetryInterval = TimeSpan.FromSeconds(1),
        Note = lines.Enqueue,
        ProgressFor = name => new LineProgress(name, lines),
    };

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, string what, ConcurrentQueue<string> lines)
    {
        using var limit = new CancellationTokenSource(timeout);
        while (!condition())
        {
            if (limit.IsCancellationRequested)
            {
                throw new TimeoutException($"no {what} within {timeout.TotalSeconds:0}s:\n{Log(lines)}");
            }

            await Task.Delay(200);
        }
    }

    private static string Log(ConcurrentQueue<string> lines) => string.Join("\n", lines);

    /// <summary>Blocks the shard's deploy when its ghost-copy step finished (its tables swapped), until released.</summary>
    private sealed class HeldAfterSwap : IDeploymentProgress, IGhostCopyProgress
    {
        private readonly LineProgress inner;
        private readonly TaskCompletionSource held;
        private readonly ManualResetEventSlim release;

        public HeldAfterSwap(LineProgress inner, TaskCompletionSource held, ManualResetEventSlim release)
        {
            this.inner = inner;
            this.held = held;
            this.release = release;
        }

        public void Started(string deploymentId, Core.Planning.Plan plan, int firstStep) => inner.Started(deploymentId, plan, firstStep);

        public void StepStarted(Core.Planning.PlanStep step) => inner.StepStarted(step);

        public void StepRetrying(Core.Planning.PlanStep step, int attempt, TimeSpan backoff, string reason) => inner.StepRetrying(step, attempt, backoff, reason);

        public void StepFinished(Core.Planning.PlanStep step, string status, TimeSpan duration)
        {
            inner.StepFinished(step, status, duration);
            if (step.Strategy == Core.Planning.Strategy.GhostCopy && held.TrySetResult())
            {
                release.Wait(TimeSpan.FromMinutes(3));
            }
        }

        public void Note(string message) => inner.Note(message);

        public void GhostCopy(GhostCopyProgress progress) => inner.GhostCopy(progress);
    }

    /// <summary>A shard's progress as lines prefixed with its name, as the CLI prints them.</summary>
    private sealed class LineProgress : IDeploymentProgress, IGhostCopyProgress
    {
        private readonly string prefix;
        private readonly ConcurrentQueue<string> lines;

        public LineProgress(string shard, ConcurrentQueue<string> lines)
        {
            prefix = $"[{shard}] ";
            this.lines = lines;
        }

        public void Started(string deploymentId, Core.Planning.Plan plan, int firstStep) => lines.Enqueue(prefix + $"deployment {deploymentId} from step {firstStep}");

        public void StepStarted(Core.Planning.PlanStep step) => lines.Enqueue(prefix + $"step {step.Id} ...");

        public void StepRetrying(Core.Planning.PlanStep step, int attempt, TimeSpan backoff, string reason) => lines.Enqueue(prefix + $"step {step.Id}: {reason}");

        public void StepFinished(Core.Planning.PlanStep step, string status, TimeSpan duration) => lines.Enqueue(prefix + $"step {step.Id} {status}");

        public void Note(string message) => lines.Enqueue(prefix + message);

        public void GhostCopy(GhostCopyProgress progress) => lines.Enqueue(prefix + progress);
    }
}
