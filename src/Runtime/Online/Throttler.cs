using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Online;

/// <summary>
/// Asks every <see cref="IThrottleProbe"/> and the manual pause flag; returns the first reason to wait, or null.
/// A "go" from the probes holds for <c>interval</c>; a reason to wait is asked again every time.
/// </summary>
internal sealed class Throttler
{
    private readonly IReadOnlyList<IThrottleProbe> probes;
    private readonly TimeSpan interval;
    private long? lastGo;

    public Throttler(IReadOnlyList<IThrottleProbe> probes, TimeSpan interval)
    {
        this.probes = probes;
        this.interval = interval;
    }

    public async Task<string?> ReasonAsync(bool paused, CancellationToken cancellationToken)
    {
        if (paused)
        {
            return "paused by `dotnet schema pause`; `dotnet schema resume --deployment ID` continues";
        }

        if (lastGo is { } go && Stopwatch.GetElapsedTime(go) < interval)
        {
            return null;
        }

        foreach (var probe in probes)
        {
            if (await probe.ReasonAsync(cancellationToken).ConfigureAwait(false) is { } reason)
            {
                lastGo = null;
                return reason;
            }
        }

        lastGo = Stopwatch.GetTimestamp();
        return null;
    }
}
