using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Engines;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Sessions;
using SchemaBuild.Runtime.State;

namespace SchemaBuild.Runtime.Deployment;

/// <summary>
/// Replication slots ghost copies left on the server, each with the deployment that still uses it or
/// none (orphaned: its deployment finished, was cancelled or its control rows are gone, yet the slot
/// retains WAL). <c>status</c> lists them; <c>cancel --slot</c> drops an orphan.
/// </summary>
public static class StreamLeftovers
{
    public static async Task<IReadOnlyList<StreamLeftover>> ListAsync(IDatabaseSession session, StateTableNames names, CancellationToken cancellationToken)
    {
        var slots = await OnlineEngines.StreamLeftoversAsync(session, cancellationToken).ConfigureAwait(false);
        if (slots.Count == 0)
        {
            return slots;
        }

        // A slot publishes its copies' changelogs (forward and reverse alike): a copy that has not ended owns it.
        var unfinished = (await new GhostCopyStore(session, names).ListAsync(null, cancellationToken).ConfigureAwait(false))
            .Where(c => c.State is not (GhostCopyState.Done or GhostCopyState.Reverted or GhostCopyState.Cancelled) && c.Changelog.Length > 0)
            .ToList();
        return slots.Select(s => s with { DeploymentId = unfinished.FirstOrDefault(c => s.Tables.Contains(c.Changelog, StringComparer.Ordinal))?.DeploymentId }).ToList();
    }

    /// <summary>Drops an orphaned slot (and its publication); refuses one a deployment still uses, or one that does not exist.</summary>
    public static async Task<StreamLeftover> DropOrphanAsync(IDatabaseSession session, StateTableNames names, string name, CancellationToken cancellationToken)
    {
        var slots = await ListAsync(session, names, cancellationToken).ConfigureAwait(false);
        var slot = slots.FirstOrDefault(s => s.Name == name) ?? throw new DeploymentRefusedException(
            $"{session.DatabaseName} has no ghost-copy replication slot '{name}'{(slots.Count == 0 ? " (it has none)" : $" (it has {string.Join(", ", slots.Select(s => s.Name))})")}; run 'dotnet schema status' to list them. Nothing was changed.");
        if (slot.DeploymentId is { } owner)
        {
            throw new DeploymentRefusedException(
                $"replication slot {name} belongs to deployment {owner}, which has not ended: run 'dotnet schema cancel --deployment {owner}' instead (it removes the slot with the copy). Nothing was changed.");
        }

        if (slot.Active)
        {
            throw new DeploymentRefusedException($"replication slot {name} is being read by a running process right now; stop that process, then run cancel again. Nothing was changed.");
        }

        await OnlineEngines.DropStreamLeftoverAsync(session, name, cancellationToken).ConfigureAwait(false);
        return slot;
    }
}
