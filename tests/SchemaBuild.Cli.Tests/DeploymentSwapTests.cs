using SchemaBuild.Cli.Commands;
using SchemaBuild.Runtime.State;
using Xunit;

namespace SchemaBuild.Cli.Tests;

/// <summary>
/// status <c>swapped</c> of a deployment with two runs of ghost copies (a table rebuilt twice cuts over run by run):
/// the copy records exist only for the runs prepared so far, the plan's steps say how many tables are still to swap.
/// </summary>
public sealed class DeploymentSwapTests
{
    private static readonly DeploymentRecord TwoRuns = new("d1", "p", "s", "t", StepStatus.Running)
    {
        Steps = new[]
        {
            new StepRecord(1, "items", "alter-column", "ghost-copy", StepStatus.Succeeded),
            new StepRecord(2, "notes.tag", "add-column", "instant", StepStatus.Succeeded),
            new StepRecord(3, "items", "alter-column", "ghost-copy", StepStatus.Pending),
        },
    };

    [Fact]
    public void Between_the_two_runs_the_first_run_swapped_is_not_yet_every_table()
    {
        var swap = DeploymentSwap.Of(TwoRuns, new[] { new GhostCopyRecord("d1", 1, "items", "done") });
        Assert.Equal((2, 1), (swap.Rebuilt, swap.Swapped));
        Assert.Equal(DeploymentSwap.NotYet, swap.Value);
    }

    [Fact]
    public void Every_run_swapped_is_true_and_a_deployment_without_copies_is_null()
    {
        var finished = TwoRuns with { Status = StepStatus.Succeeded };
        Assert.Equal(true, DeploymentSwap.Of(finished, new[] { new GhostCopyRecord("d1", 1, "items", "done"), new GhostCopyRecord("d1", 3, "items", "revert-window") }).Value);
        Assert.Null(DeploymentSwap.Of(new DeploymentRecord("d2", "p", "s", "t", StepStatus.Running), System.Array.Empty<GhostCopyRecord>()).Value);
    }

    [Fact]
    public void A_deployment_cancelled_after_its_first_run_swapped_is_partly_swapped()
    {
        var swap = DeploymentSwap.Of(TwoRuns, new[] { new GhostCopyRecord("d1", 1, "items", "done"), new GhostCopyRecord("d1", 3, "items", "cancelled") });
        Assert.Equal((2, 1), (swap.Rebuilt, swap.Swapped));
        Assert.Equal(DeploymentSwap.Partly, swap.Value);
    }

    [Fact]
    public void A_cancelled_deployment_is_not_swapped_rather_than_not_yet()
    {
        var swap = DeploymentSwap.Of(TwoRuns, new[] { new GhostCopyRecord("d1", 1, "items", "cancelled") });
        Assert.Equal(false, swap.Value);
    }
}
