using System.Threading;
using System.Threading.Tasks;

namespace SchemaBuild.Runtime.Online.Roles;

/// <summary>Asked before each chunk: a reason to wait (load, replica lag), or null. Must be cheap (one query) and never throw for a transient error (return a reason instead).</summary>
internal interface IThrottleProbe
{
    string Name { get; }

    Task<string?> ReasonAsync(CancellationToken cancellationToken);
}
