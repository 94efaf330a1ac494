using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.State;

namespace SchemaBuild.Runtime.Online;

/// <summary>
/// The gate's side of the control table: "ready since", the approval and the cancel request. Any
/// process may write them (<c>dotnet schema cutover|cancel</c>); the process that holds the stream
/// reads them while it waits at the gate and at each checkpoint.
/// </summary>
public sealed partial class GhostCopyStore
{
    /// <summary>Records that the deployment's copies are in sync and held at the gate (the first time only: "ready since" survives a resume).</summary>
    internal Task MarkReadyAsync(string deploymentId, string gate, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            $"UPDATE {table} SET gate = {P(0)}, ready_at = COALESCE(ready_at, {P(1)}), updated_at = {P(2)} WHERE deployment_id = {P(3)} AND state = {P(4)}",
            new object?[] { gate, Now(), Now(), deploymentId, GhostCopyState.InSync }, cancellationToken);

    /// <summary>
    /// Approves the cutover of every unfinished copy of the deployment (<c>dotnet schema cutover</c>);
    /// the first approval is kept. (Each parameter is used once: MySQL's are positional.) Returns how many rows carry the approval.
    /// </summary>
    internal Task<long> ApproveAsync(string deploymentId, string approvedBy, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            $"UPDATE {table} SET approved_by = COALESCE(approved_by, {P(0)}), approved_at = COALESCE(approved_at, {P(1)}), updated_at = {P(2)} "
            + $"WHERE deployment_id = {P(3)} AND state IN ({string.Join(", ", Enumerable.Range(4, Unfinished.Length).Select(P))})",
            new object?[] { Bound(approvedBy, 200), Now(), Now(), deploymentId }.Concat(Unfinished).ToList(), cancellationToken);

    /// <summary>Asks the process that runs the deployment's copies to stop and remove them (<c>dotnet schema cancel</c>).</summary>
    internal Task<long> RequestCancelAsync(string deploymentId, string requestedBy, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            $"UPDATE {table} SET cancel_requested_by = COALESCE(cancel_requested_by, {P(0)}), cancel_requested_at = COALESCE(cancel_requested_at, {P(1)}), updated_at = {P(2)} "
            + $"WHERE deployment_id = {P(3)} AND state IN ({string.Join(", ", Enumerable.Range(4, Unfinished.Length).Select(P))})",
            new object?[] { Bound(requestedBy, 200), Now(), Now(), deploymentId }.Concat(Unfinished).ToList(), cancellationToken);

    /// <summary>What the gate says for the deployment right now: approved (by whom) and whether a cancel was asked for.</summary>
    internal async Task<GateSignal> ReadGateAsync(string deploymentId, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(
            $"SELECT approved_by, approved_at, cancel_requested_by FROM {table} WHERE deployment_id = {P(0)}",
            new object?[] { deploymentId }, cancellationToken).ConfigureAwait(false);
        var approved = rows.Select(r => (By: S(r[0]), At: T(S(r[1])))).FirstOrDefault(a => a.By is not null);
        var cancel = rows.Select(r => S(r[2])).FirstOrDefault(c => c is not null);
        return new GateSignal(approved.By, approved.At, cancel);
    }

    /// <summary>Moves a copy to <see cref="GhostCopyState.Cancelled"/> from any state before the cutover; false when it is already past it (or cancelled).</summary>
    internal async Task<bool> TryMarkCancelledAsync(GhostCopyRecord record, string reason, CancellationToken cancellationToken)
    {
        if (!GhostCopyState.CanMove(record.State, GhostCopyState.Cancelled))
        {
            return false;
        }

        try
        {
            await MoveAsync(record, GhostCopyState.Cancelled, reason, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ControlTableConflictException)
        {
            return false;
        }
    }

    /// <summary>The states a copy may be approved or cancelled in: everything before the cutover.</summary>
    private static readonly string[] Unfinished = GhostCopyState.AllowedFrom(GhostCopyState.Cancelled).ToArray();
}

/// <summary>The gate's signals for one deployment, as read from the control table.</summary>
internal sealed record GateSignal(string? ApprovedBy, DateTimeOffset? ApprovedAt, string? CancelRequestedBy)
{
    public bool Approved => ApprovedBy is not null;

    public bool CancelRequested => CancelRequestedBy is not null;
}
