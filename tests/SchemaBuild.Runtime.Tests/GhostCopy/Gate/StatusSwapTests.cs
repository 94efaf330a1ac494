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
            var held = Deployment(SchemaTool.Run(environment, "status", "--format", "json"));
            Assert.Equal(JsonValueKind.String, held.GetProperty("swapped").ValueKind);
            Assert.Equal("not yet", held.GetProperty("swapped").GetString());
            Assert.Equal(2, held.GetProperty("tablesRebuilt").GetInt32());
            Assert.Equal(0, held.GetProperty("tablesSwapped").GetInt32());
            var text = SchemaTool.Run(environment, "status");
            Assert.Contains("tables swapped: 0 of 2 (not yet: copies still to come)", text.Output, StringComparison.Ordinal);
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
