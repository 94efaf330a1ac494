using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Online;
using Xunit;

namespace SchemaBuild.Runtime.Tests.GhostCopy.Gate;

/// <summary>
/// status <c>swapped</c> is decided from the plan's ghost-copy steps of the deployment: before any copy is prepared the
/// deployment has tables still to swap ("not yet"), and true only once every table it rebuilds swapped.
/// </summary>
[Collection("ghost-copy load")]
public sealed class StatusSwapTests
{
    [Fact]
    public async Task Status_says_not_yet_before_the_first_copy_is_prepared_and_true_once_every_rebuilt_table_swapped()
    {
        var target = await TwoTables.CreateAsync(DialectKind.MariaDb, "status_swap", 200, workersPerTable: 1, writesPerSecondPerTable: 1);
        await using var database = target.Database;
        var environment = new Dictionary<string, string> { ["SCHEMABUILD_CONNECTION"] = database.UrlText };
        var progress = new HoldBeforeFirstCopy();
        var options = DeployOptions.Default with { Progress = progress, GhostCopy = GhostCopyOptions.Default with { RevertWindow = TimeSpan.Zero } };
        var deploy = Task.Run(async () =>
        {
            await using var session = await database.OpenAsync();
            return await new Deployer().DeployAsync(target.Plan, session, options, CancellationToken.None);
        });
        try
        {
            await progress.Held.Task.WaitAsync(TimeSpan.FromMinutes(2));

            // The expand steps ran, no copy record exists yet: two tables still to swap.
            AssertSwapped(environment, "not yet", swapped: 0, "tables swapped: 0 of 2 (not yet: copies still to come)");
        }
        finally
        {
            progress.Release.Set();
        }

        var result = await deploy.WaitAsync(TimeSpan.FromMinutes(3));
        var done = Deployment(SchemaTool.Run(environment, "status", "--deployment", result.DeploymentId!, "--format", "json"));
        Assert.True(done.GetProperty("swapped").GetBoolean());
        Assert.Equal(2, done.GetProperty("tablesSwapped").GetInt32());
    }

    /// <summary>
    /// Two columns retyped on PostgreSQL: two ghost copies of one table, cut over run by run. The first run swapped, the
    /// second is cancelled while it copies (as a cancel of a sharded deployment reaches each shard): the table serves the
    /// first rebuild's definition, so status says "partly", not false.
    /// </summary>
    [Fact]
    public async Task A_deployment_whose_second_run_was_cancelled_after_the_first_swapped_is_partly_swapped()
    {
        const string Baseline = "CREATE TABLE items (id integer NOT NULL PRIMARY KEY, qty integer NOT NULL, n integer NOT NULL);\n";
        var plan = Plans.Between(DialectKind.Postgres, Baseline, Baseline.Replace("qty integer", "qty bigint", StringComparison.Ordinal).Replace("n integer", "n bigint", StringComparison.Ordinal));
        Assert.Equal(2, GatedOrder.Arrange(plan.Steps, oneGate: false).Runs.Count);
        await using var database = await TestDatabase.CreateAsync(DialectKind.Postgres, "status_partly");
        await database.RunAsync(Baseline + "INSERT INTO items SELECT g, g % 1000, g FROM generate_series(1, 2000) g;\nVACUUM ANALYZE items;\n");
        var environment = new Dictionary<string, string> { ["SCHEMABUILD_CONNECTION"] = database.UrlText };
        var inSecondRun = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var copies = 0;
        var options = DeployOptions.Default with
        {
            GhostCopy = GhostCopyOptions.Default with
            {
                DropOld = true,
                RevertWindow = TimeSpan.Zero,
                MaxLag = TimeSpan.FromDays(1),
                // The second run's copy stops after its first chunk until the cancel is recorded.
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
        };
        var deploy = Task.Run(async () =>
        {
            await using var session = await database.OpenAsync();
            return await new Deployer().DeployAsync(plan, session, options, CancellationToken.None);
        });
        try
        {
            await Task.WhenAny(inSecondRun.Task, deploy).WaitAsync(TimeSpan.FromMinutes(3));
            Assert.False(deploy.IsCompleted, $"the deploy ended before its second run: {deploy.Exception?.GetBaseException().Message}");
            var id = Deployment(SchemaTool.Run(environment, "status", "--format", "json")).GetProperty("id").GetString()!;
            await using var control = await database.OpenAsync();
            Assert.True(await new GhostCopyStore(control, SchemaBuild.Runtime.State.StateTableNames.Default).RequestCancelAsync(id, "status test", CancellationToken.None) > 0, "no unfinished copy took the cancel request");

            // Held past a checkpoint interval: the checkpoint right after the chunk is due, reads the request and stops the copy.
            await Task.Delay(options.GhostCopy.CheckpointInterval + TimeSpan.FromMilliseconds(500));
        }
        finally
        {
            release.TrySetResult();
        }

        await Assert.ThrowsAnyAsync<Exception>(() => deploy.WaitAsync(TimeSpan.FromMinutes(2)));
        await using (var session = await database.OpenAsync())
        {
            var types = await session.QueryAsync("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname IN ('qty', 'n') ORDER BY attname", null, CancellationToken.None);
            Assert.Equal(new[] { "n integer", "qty bigint" }, types.Select(r => $"{r[0]} {r[1]}").ToArray());
        }

        AssertSwapped(environment, "partly", swapped: 1, "tables swapped: 1 of 2 (partly: the deployment ended; the other tables keep their old definitions)");
    }

    /// <summary>status of the one deployment (two tables rebuilt): JSON <c>swapped</c> is the word, with the count, and the text line says so.</summary>
    private static void AssertSwapped(Dictionary<string, string> environment, string word, int swapped, string textLine)
    {
        var status = Deployment(SchemaTool.Run(environment, "status", "--format", "json"));
        Assert.Equal(JsonValueKind.String, status.GetProperty("swapped").ValueKind);
        Assert.Equal(word, status.GetProperty("swapped").GetString());
        Assert.Equal(2, status.GetProperty("tablesRebuilt").GetInt32());
        Assert.Equal(swapped, status.GetProperty("tablesSwapped").GetInt32());
        Assert.Contains(textLine, SchemaTool.Run(environment, "status").Output, StringComparison.Ordinal);
    }

    private static JsonElement Deployment(SchemaTool.Result status)
    {
        Assert.True(status.ExitCode == 0, status.ToString());
        return JsonDocument.Parse(status.Output).RootElement.GetProperty("deployments").EnumerateArray().First().Clone();
    }

    /// <summary>Blocks the deploy when the first ghost-copy step starts, before its copy is prepared, until released.</summary>
    private sealed class HoldBeforeFirstCopy : IDeploymentProgress
    {
        public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ManualResetEventSlim Release { get; } = new();

        public void Started(string deploymentId, Plan plan, int firstStep)
        {
        }

        public void StepStarted(PlanStep step)
        {
            if (step.Strategy == Strategy.GhostCopy && Held.TrySetResult())
            {
                Release.Wait(TimeSpan.FromMinutes(3));
            }
        }

        public void StepRetrying(PlanStep step, int attempt, TimeSpan backoff, string reason)
        {
        }

        public void StepFinished(PlanStep step, string status, TimeSpan duration)
        {
        }

        public void Note(string message)
        {
        }
    }
}
