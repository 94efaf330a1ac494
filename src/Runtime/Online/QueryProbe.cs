using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Online;

/// <summary>
/// A throttle probe that is one query and a judgement of its rows against a bound: the engines
/// only say what to ask and what the answer means (<c>MySqlThrottleProbes</c>, <c>PgThrottleProbes</c>).
/// A server that cannot be asked is a reason to wait when <paramref name="unreachable"/> says so;
/// otherwise the error goes up (a probe that guards the primary's disk must not be ignored).
/// </summary>
internal sealed class QueryProbe : IThrottleProbe
{
    private readonly Func<CancellationToken, Task<IReadOnlyList<object?[]>>> query;
    private readonly Func<IReadOnlyList<object?[]>, string?> judge;
    private readonly Func<Exception, string>? unreachable;

    public QueryProbe(string name, Func<CancellationToken, Task<IReadOnlyList<object?[]>>> query, Func<IReadOnlyList<object?[]>, string?> judge, Func<Exception, string>? unreachable = null)
    {
        Name = name;
        this.query = query;
        this.judge = judge;
        this.unreachable = unreachable;
    }

    public string Name { get; }

    public async Task<string?> ReasonAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<object?[]> rows;
        try
        {
            rows = await query(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (unreachable is not null && ex is not OperationCanceledException && ex is not OutOfMemoryException)
        {
            return unreachable(ex);
        }

        return judge(rows);
    }
}
