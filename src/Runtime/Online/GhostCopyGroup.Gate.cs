using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace SchemaBuild.Runtime.Online;

/// <summary>
/// The gate (docs/deploy.md, "The gate"): once every table is in sync the group records "ready" in
/// the control table. With the manual gate it then keeps applying changes, proving every few
/// seconds through the markers that the shadows are caught up, until an approval
/// (<c>dotnet schema cutover</c>) or a cancel request (<c>dotnet schema cancel</c>) appears in the
/// control table, written by any process.
/// </summary>
internal sealed partial class GhostCopyGroup
{
    private static readonly TimeSpan GatePoll = TimeSpan.FromSeconds(1);

    /// <summary>When the gate last proved the shadows caught up (a marker came back), for the log.</summary>
    private Stopwatch? sinceProof;

    private string? DeploymentId => copies.FirstOrDefault()?.Record.DeploymentId;

    private async Task HoldAtGateAsync(CancellationToken cancellationToken)
    {
        var deploymentId = DeploymentId;
        if (deploymentId is null || !Active.Any())
        {
            return;
        }

        await store.MarkReadyAsync(deploymentId, options.ManualGate ? "manual" : "auto", cancellationToken).ConfigureAwait(false);
        if (!options.ManualGate && options.CutoverBarrier is null)
        {
            return;
        }

        var signal = await store.ReadGateAsync(deploymentId, cancellationToken).ConfigureAwait(false);
        if (!signal.Approved && options.ManualGate)
        {
            var tables = string.Join(", ", Active.Select(c => c.Request.Table));
            note?.Invoke($"deployment {deploymentId} is ready: {tables} in sync, changes keep flowing into the shadows. "
                         + $"Approve the cutover with `dotnet schema cutover --deployment {deploymentId}`, or remove the shadows with `dotnet schema cancel --deployment {deploymentId}`.");
            logger.LogInformation("deployment {DeploymentId} ready at the gate", deploymentId);
        }

        var held = Stopwatch.StartNew();
        var polled = Stopwatch.StartNew();
        sinceProof = Stopwatch.StartNew();
        while (!await MayCutOverAsync(signal, cancellationToken).ConfigureAwait(false))
        {
            await ApplyAsync(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
            if (sinceProof.Elapsed >= options.GateProofInterval)
            {
                // A marker written now and read back proves every change committed before it is in the shadows.
                await DrainToMarkersAsync(null, TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
                sinceProof.Restart();
            }

            await MaybeCheckpointAsync(cancellationToken).ConfigureAwait(false);
            if (polled.Elapsed >= GatePoll)
            {
                signal = await store.ReadGateAsync(deploymentId, cancellationToken).ConfigureAwait(false);
                if (signal.CancelRequested)
                {
                    throw new DeploymentCancelledException(deploymentId, signal.CancelRequestedBy!);
                }

                polled.Restart();
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        note?.Invoke($"deployment {deploymentId}: cutover approved by {signal.ApprovedBy} at {signal.ApprovedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)} (held at the gate {held.Elapsed.TotalSeconds:0}s)");
    }

    /// <summary>
    /// Sharded: the approval alone is not enough, the barrier (polled every time: the first poll says this shard is in sync)
    /// must be open too, for this group's gate: its lowest plan step id, which every shard's group of the same run shares.
    /// </summary>
    private async Task<bool> MayCutOverAsync(GateSignal signal, CancellationToken cancellationToken) =>
        options.CutoverBarrier is { } barrier ? await barrier(copies.Min(c => c.Record.StepId), signal.Approved, cancellationToken).ConfigureAwait(false) : signal.Approved;

    /// <summary>Read at every checkpoint and before each cutover attempt: a cancel request stops the copy wherever it is (before the cutover).</summary>
    private async Task StopIfCancelRequestedAsync(CancellationToken cancellationToken, Func<CancellationToken, Task>? beforeStopping = null)
    {
        if (DeploymentId is { } deploymentId && (await store.ReadGateAsync(deploymentId, cancellationToken).ConfigureAwait(false)) is { CancelRequested: true } signal)
        {
            if (beforeStopping is not null)
            {
                await beforeStopping(cancellationToken).ConfigureAwait(false);
            }

            throw new DeploymentCancelledException(deploymentId, signal.CancelRequestedBy!);
        }
    }

    /// <summary>The process that holds the stream was asked to cancel: it closes the stream (PostgreSQL: frees its slot) and removes every copy's artifacts.</summary>
    private async Task RemoveCancelledAsync(DeploymentCancelledException cancelled)
    {
        if (stream is not null)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            stream = null;
        }

        var removed = await GhostCopyCancellation.RemoveAsync(engine, store, copies.Select(c => c.Record).ToList(), cancelled.Reason, CancellationToken.None).ConfigureAwait(false);
        note?.Invoke($"deployment {cancelled.DeploymentId} cancelled by {cancelled.RequestedBy}: removed {(removed.Count == 0 ? "nothing" : string.Join(", ", removed))}; the original tables are untouched");
    }
}

/// <summary>The deployment was cancelled through the control table (<c>dotnet schema cancel</c>) while this process ran it.</summary>
internal sealed class DeploymentCancelledException : Exception
{
    public DeploymentCancelledException(string deploymentId, string requestedBy)
        : base($"deployment {deploymentId} was cancelled by {requestedBy} (dotnet schema cancel) before its cutover: its shadow tables were removed and the original tables are untouched")
    {
        DeploymentId = deploymentId;
        RequestedBy = requestedBy;
    }

    public string DeploymentId { get; }

    public string RequestedBy { get; }

    public string Reason => $"cancelled by {RequestedBy}";
}
