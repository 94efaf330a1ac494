using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Online;

/// <summary>Asks every <see cref="IThrottleProbe"/> and the manual pause flag; returns the first reason to wait, or null.</summary>
internal sealed class Throttler
{
    private readonly IReadOnlyList<IThrottleProbe> probes;

    public Throttler(IReadOnlyList<IThrottleProbe> probes) => this.probes = probes;

    public async Task<string?> ReasonAsync(bool paused, CancellationToken cancellationToken)
    {
        if (paused)
        {
            return "paused by `dotnet schema pause`; `dotnet schema resume --deployment ID` continues";
        }

        foreach (var probe in probes)
        {
            if (await probe.ReasonAsync(cancellationToken).ConfigureAwait(false) is { } reason)
            {
                return reason;
            }
        }

        return null;
    }
}
