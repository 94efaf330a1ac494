using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.State;
using Xunit;
using Xunit.Abstractions;

namespace SchemaBuild.Runtime.Tests.GhostCopy.Gate;

/// <summary>
/// One gate for the whole deployment: two tables rebuilt with other steps between them in the plan
/// reach ready together, take one approval and cut over once; the expand steps are visible before
/// the gate, the rename only after the cutover.
/// </summary>
[Collection("ghost-copy load")]
public sealed class OneGateTests
{
    /// <summary>Other test runs' logical streams on the shared PostgreSQL server look like lagging replicas: not what these tests are about.</summary>
    private const string IgnoreReplicas = "100000";

    private readonly ITestOutputHelper output;

    public OneGateTests(ITestOutputHelper output) => this.output = output;

    [Theory]
    [InlineData(DialectKind.MariaDb)]
    [InlineData(DialectKind.Postgres)]
    public async Task Two_copies_with_steps_between_them_are_ready_together_and_cut_over_once_after_one_approval(DialectKind dialect)
    {
        var target = await TwoTables.CreateAsync(dialect, "one_gate", 10_000, workersPerTable: 2, writesPerSecondPerTable: 40);
        await using var owned = target.Database;
        var url = target.Database.UrlText;
        var planFile = Path.Combine(Path.GetTempPath(), $"sb-onegate-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(planFile, PlanJson.Write(target.Plan));
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        var writing = target.Loads.Select(l => l.RunAsync(stop.Token)).ToList();
        await using var session = await target.Database.OpenAsync();
        try
        {
            using var deploy = DeployProcess.Start("deploy", "--plan", planFile, "--connection", url, "--gate", "manual", "--max-lag", IgnoreReplicas, "--lock-wait", "10", "--revert-window", "0");
            var id = Regex.Match(await deploy.WaitForLineAsync(l => l.Contains(" is ready: ", StringComparison.Ordinal), TimeSpan.FromMinutes(4), "the ready line"), @"deployment (\S+) is ready").Groups[1].Value;

            // Ready once, for both tables; the expand steps ran, the rename waits for the cutover.
            var copies = await new GhostCopyStore(session, StateTableNames.Default).ListAsync(id, CancellationToken.None);
            Assert.Equal(new[] { "items", "stock" }, copies.Select(c => c.Table.Split('.').Last()).OrderBy(t => t, StringComparer.Ordinal));
            Assert.All(copies, c => Assert.Equal(GhostCopyState.InSync, c.State));
            Assert.Contains("tag", await target.ColumnsAsync("notes"));
            Assert.Contains("label", await target.ColumnsAsync("shelf"));
            Assert.StartsWith("int", await target.QtyTypeAsync("items"), StringComparison.Ordinal);
            Assert.StartsWith("int", await target.QtyTypeAsync("stock"), StringComparison.Ordinal);
            Assert.Contains("runs after the cutover", deploy.Log, StringComparison.Ordinal);
            await Task.Delay(TimeSpan.FromSeconds(5));

            var approve = SchemaTool.Run("cutover", "--connection", url, "--deployment", id, "--by", "release-manager");
            Assert.True(approve.ExitCode == 0, approve.ToString());
            var (exit, _) = await deploy.WaitForExitAsync(TimeSpan.FromMinutes(3));
            Assert.True(exit == 0, deploy.Log);
            var lines = deploy.Log.Split('\n');
            Assert.Single(lines, l => l.Contains(" is ready: ", StringComparison.Ordinal));
            Assert.Single(lines, l => l.Contains("cutover approved by release-manager", StringComparison.Ordinal));
            var cutover = Assert.Single(lines, l => l.Contains("cutover of ", StringComparison.Ordinal) && l.Contains("writers waited", StringComparison.Ordinal));
            Assert.Contains("items", cutover, StringComparison.Ordinal);
            Assert.Contains("stock", cutover, StringComparison.Ordinal);
            output.WriteLine(cutover);

            await Task.Delay(1000);
            stop.Cancel();
            await Task.WhenAll(writing);
            foreach (var load in target.Loads)
            {
                output.WriteLine(load.Summary());
                Assert.True(load.Failures.Count == 0, "writes failed:\n" + string.Join("\n", load.Failures.Take(10)));
                var differences = await load.CompareAsync(CancellationToken.None);
                Assert.True(differences.Count == 0, "a table differs from its writers' model:\n" + string.Join("\n", differences));
            }

            Assert.Contains("title", await target.ColumnsAsync("shelf"));
            ModelAssert.Same(target.Plan.Target, await (await LiveSchema.IntrospectorAsync(session, StateTableNames.Default, CancellationToken.None)).IntrospectAsync(CancellationToken.None), "after the one cutover");
        }
        finally
        {
            stop.Cancel();
            await Task.WhenAll(writing);
            File.Delete(planFile);
        }
    }
}
