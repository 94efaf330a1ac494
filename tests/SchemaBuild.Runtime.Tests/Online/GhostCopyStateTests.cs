using System;
using System.Linq;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Online.Roles;
using Xunit;

namespace SchemaBuild.Runtime.Tests.Online;

public class GhostCopyStateTests
{
    [Theory]
    [InlineData(GhostCopyState.Pending, GhostCopyState.Prepared)]
    [InlineData(GhostCopyState.Prepared, GhostCopyState.Copying)]
    [InlineData(GhostCopyState.Copying, GhostCopyState.CatchingUp)]
    [InlineData(GhostCopyState.CatchingUp, GhostCopyState.Verifying)]
    [InlineData(GhostCopyState.Verifying, GhostCopyState.CatchingUp)]
    [InlineData(GhostCopyState.Verifying, GhostCopyState.InSync)]
    [InlineData(GhostCopyState.InSync, GhostCopyState.CuttingOver)]
    [InlineData(GhostCopyState.CuttingOver, GhostCopyState.InSync)]
    [InlineData(GhostCopyState.CuttingOver, GhostCopyState.Done)]
    [InlineData(GhostCopyState.Copying, GhostCopyState.Failed)]
    [InlineData(GhostCopyState.Failed, GhostCopyState.Copying)]
    [InlineData(GhostCopyState.Failed, GhostCopyState.CatchingUp)]
    [InlineData(GhostCopyState.InSync, GhostCopyState.Cancelled)]
    public void Allowed_moves(string from, string to) => Assert.True(GhostCopyState.CanMove(from, to));

    [Theory]
    [InlineData(GhostCopyState.Pending, GhostCopyState.Copying)]
    [InlineData(GhostCopyState.Copying, GhostCopyState.InSync)]
    [InlineData(GhostCopyState.Copying, GhostCopyState.CuttingOver)]
    [InlineData(GhostCopyState.Verifying, GhostCopyState.CuttingOver)]
    [InlineData(GhostCopyState.Done, GhostCopyState.Failed)]
    [InlineData(GhostCopyState.Done, GhostCopyState.Cancelled)]
    [InlineData(GhostCopyState.CuttingOver, GhostCopyState.Cancelled)]
    [InlineData(GhostCopyState.Cancelled, GhostCopyState.Copying)]
    public void Forbidden_moves(string from, string to) => Assert.False(GhostCopyState.CanMove(from, to));

    [Fact]
    public void Every_state_but_pending_is_reachable_and_unknown_states_are_refused()
    {
        foreach (var state in GhostCopyState.All.Where(s => s != GhostCopyState.Pending))
        {
            Assert.NotEmpty(GhostCopyState.AllowedFrom(state));
            Assert.All(GhostCopyState.AllowedFrom(state), from => Assert.Contains(from, GhostCopyState.All));
        }

        var error = Assert.Throws<ArgumentException>(() => GhostCopyState.AllowedFrom("copied"));
        Assert.Contains("copying", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resumable_states_are_those_before_the_swap()
    {
        Assert.True(GhostCopyState.IsResumable(GhostCopyState.Copying));
        Assert.True(GhostCopyState.IsResumable(GhostCopyState.Failed));
        Assert.False(GhostCopyState.IsResumable(GhostCopyState.Done));
        Assert.False(GhostCopyState.IsResumable(GhostCopyState.CuttingOver));
    }

    [Fact]
    public void Row_keys_round_trip_through_json_and_compare_integers()
    {
        var key = new RowKey(new object?[] { 42L, "a'b", new byte[] { 1, 2 }, null, 7UL, 1.5m, new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Unspecified) });
        Assert.Equal(key, RowKey.FromJson(key.ToJson()));
        Assert.Equal(-1, RowKey.CompareIntegers(new RowKey(new object?[] { 1 }), new RowKey(new object?[] { 2L })));
        Assert.Equal(0, RowKey.CompareIntegers(new RowKey(new object?[] { 5u }), new RowKey(new object?[] { 5L })));
        Assert.Null(RowKey.CompareIntegers(new RowKey(new object?[] { "a" }), new RowKey(new object?[] { "b" })));
    }

    [Fact]
    public void Chunk_sizer_follows_the_target_time_within_bounds()
    {
        var sizer = new ChunkSizer(TimeSpan.FromMilliseconds(500), 1000, 100, 50_000);
        sizer.Record(1000, TimeSpan.FromMilliseconds(50));
        Assert.Equal(2000, sizer.Rows);
        for (var i = 0; i < 20; i++)
        {
            sizer.Record(sizer.Rows, TimeSpan.FromMilliseconds(sizer.Rows / 20.0));
        }

        Assert.InRange(sizer.Rows, 9000, 10_000);
        sizer.Record(10, TimeSpan.FromSeconds(10));
        Assert.True(sizer.Rows < 10_000);
    }
}
