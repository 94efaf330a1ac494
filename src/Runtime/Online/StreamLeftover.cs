using System.Collections.Generic;

namespace SchemaBuild.Runtime.Online;

/// <summary>
/// A change-capture object a ghost copy keeps on the server (a PostgreSQL replication slot and its
/// publication): what it retains, which tables it publishes, and whose it is.
/// </summary>
/// <param name="Name">The slot's name (its publication has the same).</param>
/// <param name="Active">Whether a process is reading it now.</param>
/// <param name="RetainedBytes">WAL the server keeps for it (current position minus its restart position).</param>
/// <param name="Tables">The tables its publication lists (changelogs, originals or shadows).</param>
public sealed record StreamLeftover(string Name, bool Active, long RetainedBytes, IReadOnlyList<string> Tables)
{
    /// <summary>The deployment whose unfinished ghost copy uses it; null when none does (orphaned).</summary>
    public string? DeploymentId { get; init; }
}
