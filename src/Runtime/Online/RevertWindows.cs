using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Engines;
using SchemaBuild.Runtime.Sessions;
using SchemaBuild.Runtime.State;

namespace SchemaBuild.Runtime.Online;

/// <summary>The revert window's commands (<c>revert</c>, <c>complete</c>, <c>status</c>), run from any process through the control table.</summary>
public static class RevertWindows
{
    /// <summary>Swaps every table of <paramref name="deploymentId"/> that is in its window back to the old definition, with every write kept.</summary>
    public static async Task<RevertResult> RevertAsync(IDatabaseSession session, StateTableNames names, string deploymentId, GhostCopyOptions options, Action<string>? note, CancellationToken cancellationToken)
    {
        var store = new GhostCopyStore(session, names);
        if (!await store.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new RevertRefusedException($"{session.DisplayName} has no ghost-copy control table ({names.GhostCopies}); deployment {deploymentId} ran no ghost copy here");
        }

        await using var engine = await OnlineEngines.CreateAsync(session, options, cancellationToken).ConfigureAwait(false)
            ?? throw new RevertRefusedException($"{session.DisplayName}: this engine has no ghost copy, so no revert window");
        return await RevertWindow.RevertAsync(engine, store, deploymentId, options, note, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends the open windows (of one deployment, or all): stops their reverse streams and drops the old tables; returns the tables dropped.</summary>
    public static async Task<IReadOnlyList<string>> CompleteAsync(IDatabaseSession session, StateTableNames names, string? deploymentId, CancellationToken cancellationToken)
    {
        var store = new GhostCopyStore(session, names);
        if (!await store.ExistsAsync(cancellationToken).ConfigureAwait(false) || !await HasOpenWindowAsync(store, deploymentId, cancellationToken).ConfigureAwait(false))
        {
            return Array.Empty<string>();
        }

        await using var engine = await OnlineEngines.CreateAsync(session, GhostCopyOptions.Default, cancellationToken).ConfigureAwait(false);
        return engine is null ? Array.Empty<string>() : await RevertWindow.CompleteAsync(engine, store, deploymentId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The open windows (of one deployment, or all): when each ends and the columns a revert would drop.</summary>
    public static async Task<IReadOnlyList<RevertWindowStatus>> ListAsync(IDatabaseSession session, StateTableNames names, string? deploymentId, CancellationToken cancellationToken)
    {
        var store = new GhostCopyStore(session, names);
        var windows = new RevertWindowStore(store);
        var open = new List<RevertWindowStatus>();
        foreach (var row in await store.ListAsync(deploymentId, cancellationToken).ConfigureAwait(false))
        {
            if (row.State == GhostCopyState.RevertWindow && await windows.GetAsync(row, cancellationToken).ConfigureAwait(false) is { } window)
            {
                open.Add(new RevertWindowStatus(row.DeploymentId, row.StepId, row.Table, window.Until, window.Dropped));
            }
        }

        return open;
    }

    private static async Task<bool> HasOpenWindowAsync(GhostCopyStore store, string? deploymentId, CancellationToken cancellationToken)
    {
        foreach (var row in await store.ListAsync(deploymentId, cancellationToken).ConfigureAwait(false))
        {
            if (row.State == GhostCopyState.RevertWindow)
            {
                return true;
            }
        }

        return false;
    }
}
