using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Online.Roles;
using SchemaBuild.Runtime.State;

namespace SchemaBuild.Runtime.Online;

/// <summary>
/// Removes what unfinished ghost copies created (shadow and changelog tables; on PostgreSQL the
/// replication slot and publication of the changelog) and marks them cancelled. Used by the process
/// that runs the copies when it is told to cancel, and by <c>dotnet schema cancel</c> itself when
/// that process is gone. Only objects recorded in the copy's row are touched; never the original.
/// </summary>
internal static class GhostCopyCancellation
{
    public static async Task<IReadOnlyList<string>> RemoveAsync(IOnlineEngine engine, GhostCopyStore store, IReadOnlyList<GhostCopyRecord> records, string reason, CancellationToken cancellationToken)
    {
        var removed = new List<string>();
        foreach (var record in records.Where(r => GhostCopyState.CanMove(r.State, GhostCopyState.Cancelled)))
        {
            var names = Created(record);
            var present = new List<string>();
            foreach (var name in names)
            {
                if (await engine.ExistsAsync(name, cancellationToken).ConfigureAwait(false))
                {
                    present.Add(name);
                }
            }

            // On PostgreSQL dropping the changelog first drops the replication slot and publication that publish it.
            await engine.DropAsync(names, cancellationToken).ConfigureAwait(false);
            removed.AddRange(present);
            await store.TryMarkCancelledAsync(record, reason, cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }

    /// <summary>The tables the copy created: its artifacts, shadow and changelog, never the original nor the (not yet existing) old table.</summary>
    private static IReadOnlyList<string> Created(GhostCopyRecord record)
    {
        var artifacts = string.IsNullOrEmpty(record.Artifacts) ? Array.Empty<string>() : JsonSerializer.Deserialize<string[]>(record.Artifacts) ?? Array.Empty<string>();
        return artifacts.Append(record.Shadow).Append(record.Changelog)
            .Where(n => n.Length > 0 && !string.Equals(n, record.Table, StringComparison.Ordinal) && !string.Equals(n, record.Old, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }
}
