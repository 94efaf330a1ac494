using System;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Online;
using Xunit;

namespace SchemaBuild.Runtime.Tests.Online;

/// <summary>The unlocked drains before a lock repeat until one is quick, so the drain with writers blocked is left with little.</summary>
public sealed class MarkerDrainTests
{
    [Fact]
    public async Task Unlocked_drains_repeat_until_one_is_quick()
    {
        var calls = 0;
        await MarkerDrain.UntilQuickAsync(
            async _ =>
            {
                if (++calls < 3)
                {
                    await Task.Delay(MarkerDrain.QuickDrain * 4);
                }
            },
            CancellationToken.None);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task Unlocked_drains_stop_after_a_few_when_none_is_quick()
    {
        var calls = 0;
        await MarkerDrain.UntilQuickAsync(
            async _ =>
            {
                calls++;
                await Task.Delay(MarkerDrain.QuickDrain * 2);
            },
            CancellationToken.None);
        Assert.Equal(6, calls);
    }
}
