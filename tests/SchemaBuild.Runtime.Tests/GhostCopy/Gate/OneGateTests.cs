using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
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
    private readonly ITestOutputHelper output;

    public OneGateTests(ITestOutputHelper output) => this.output = output;

    [Theory]
    [InlineData(DialectKind.MariaDb)]
    [InlineData(DialectKind.Postgres)]
    public async Task Two_copies_with_steps_between_them_are_ready_together_and_cut_over_once_after_one_approval(DialectKind dialect)
    {
        var target = await TwoTables.CreateAsync(dialect, "one_gate", 10_000, workersPerTable: 2, writesPerSecondPerTable: 40);
        await using var run = await GateRun.StartAsync(target.Database, target.Plan, target.Loads);
        await using var session = await target.Database.OpenAsync();
        using var deploy = DeployProcess.Start(run.ManualDeploy());
        var id = GateRun.DeploymentId(await deploy.WaitForLineAsync(l => l.Contains(" is ready: ", StringComparison.Ordinal), TimeSpan.FromMinutes(4), "the ready line"));

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

        var approve = SchemaTool.Run("cutover", "--connection", run.Url, "--deployment", id, "--by", "release-manager");
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

        await run.StopWritersAndCompareAsync(output);
        Assert.Contains("title", await target.ColumnsAsync("shelf"));
        ModelAssert.Same(target.Plan.Target, await (await LiveSchema.IntrospectorAsync(session, StateTableNames.Default, CancellationToken.None)).IntrospectAsync(CancellationToken.None), "after the one cutover");
    }
}
