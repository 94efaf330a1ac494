using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Tests.GhostCopy.Load;
using Xunit;

namespace SchemaBuild.Runtime.Tests.GhostCopy.Gate;

/// <summary>
/// What every gate test sets up around its database: the plan written to a file, the writers running
/// until the test stops them (at most <see cref="Limit"/>), the arguments of a manual-gate deploy; and
/// at the end the writers stopped, compared with their models, the file and the database removed.
/// </summary>
internal sealed class GateRun : IAsyncDisposable
{
    /// <summary>
    /// The shared PostgreSQL server lists other test runs' logical streams in pg_stat_replication, and the
    /// replica-lag probe takes them for lagging replicas: the gate tests are about the gate, not throttling.
    /// </summary>
    public const string IgnoreReplicas = "100000";

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(8);

    private readonly TestDatabase database;
    private readonly IReadOnlyList<WriteLoad> loads;
    private readonly CancellationTokenSource stop = new(Limit);
    private readonly List<Task> writing = new();

    private GateRun(TestDatabase database, IReadOnlyList<WriteLoad> loads, string planFile)
    {
        this.database = database;
        this.loads = loads;
        PlanFile = planFile;
    }

    /// <summary>The plan as a file, for <c>deploy --plan</c>.</summary>
    public string PlanFile { get; }

    /// <summary>The database's connection URL, with its password (for <c>--connection</c> or the environment).</summary>
    public string Url => database.UrlText;

    /// <summary>Writes the plan to a file; <paramref name="write"/>: the writers start now.</summary>
    public static async Task<GateRun> StartAsync(TestDatabase database, Core.Planning.Plan plan, IReadOnlyList<WriteLoad> loads, bool write = true)
    {
        var planFile = Path.Combine(Path.GetTempPath(), $"sb-gate-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(planFile, Core.Artifacts.PlanJson.Write(plan));
        var run = new GateRun(database, loads, planFile);
        if (write)
        {
            run.writing.AddRange(loads.Select(l => l.RunAsync(run.stop.Token)));
        }

        return run;
    }

    /// <summary>Held at the manual gate, the revert window off (these tests end at the cutover).</summary>
    public static IReadOnlyList<string> ManualGate { get; } = new[] { "--gate", "manual", "--max-lag", IgnoreReplicas, "--lock-wait", "10", "--revert-window", "0" };

    /// <summary>The deploy of the plan held at the <see cref="ManualGate"/>, with <paramref name="more"/> options.</summary>
    public string[] ManualDeploy(params string[] more) => new[] { "deploy", "--plan", PlanFile, "--connection", Url }.Concat(ManualGate).Concat(more).ToArray();

    /// <summary>The deployment id of a deploy's <c>deployment ID is ready</c> line.</summary>
    public static string DeploymentId(string readyLine) => Regex.Match(readyLine, @"deployment (\S+) is ready").Groups[1].Value;

    /// <summary>Lets the writers run a moment after the cutover, stops them, and asserts that every table equals its writers' model.</summary>
    public async Task StopWritersAndCompareAsync(Xunit.Abstractions.ITestOutputHelper output)
    {
        await Task.Delay(1000);
        await StopWritersAsync();
        foreach (var load in loads)
        {
            output.WriteLine(load.Summary());
            Assert.True(load.Failures.Count == 0, "writes failed:\n" + string.Join("\n", load.Failures.Take(10)));
            var differences = await load.CompareAsync(CancellationToken.None);
            Assert.True(differences.Count == 0, "a table differs from its writers' model:\n" + string.Join("\n", differences));
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopWritersAsync();
        }
        finally
        {
            stop.Dispose();
            File.Delete(PlanFile);
            await database.DisposeAsync();
        }
    }

    private async Task StopWritersAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(writing);
    }
}
