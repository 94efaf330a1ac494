using SchemaBuild.Runtime.Deployment.Shards;
using Xunit;

namespace SchemaBuild.Runtime.Tests.GhostCopy.Shards;

/// <summary>Which shards a give-up stops: those at a gate that will not open, never one at an open gate that has yet to read its approval.</summary>
public sealed class CutoverBarrierTests
{
    [Fact]
    public void A_shard_at_an_open_gate_is_not_counted_as_waiting_the_ones_at_a_closed_gate_are()
    {
        var barrier = new CutoverBarrier(new[] { "a", "b", "c" });
        Assert.False(barrier.Poll("a", 1, approved: true));
        Assert.False(barrier.Poll("b", 1, approved: true));
        barrier.Open(1);
        Assert.False(barrier.Poll("c", 2, approved: true));

        // a and b have not polled since gate 1 opened: they go on to cut over when they do.
        Assert.True(barrier.IsOpen(1));
        Assert.False(barrier.IsOpen(2));
        Assert.Equal(new[] { ("c", 2) }, barrier.Waiting);
        Assert.True(barrier.Poll("a", 1, approved: true));
    }
}
