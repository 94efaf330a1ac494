using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Serialization.Json;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Sessions;
using SchemaBuild.Runtime.State;

namespace SchemaBuild.Cli.Commands;

/// <summary>
/// <c>status --wait-for ready|done</c>: polls the control tables until the deployment reaches the
/// goal (exit 0), stops short of it (failed, cancelled: exit 4) or the timeout passes (exit 5), so a
/// pipeline stage can block on it.
/// </summary>
internal static class StatusWait
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);

    /// <summary>
    /// One word for where a deployment is (docs/deploy.md, "status JSON"): copying, ready, approved,
    /// cutting-over, done, failed, cancelled, reverted; for a deployment without ghost copies the deployment's status.
    /// </summary>
    public static string GateState(DeploymentRecord record, IReadOnlyList<GhostCopyRecord> copies)
    {
        if (DeploymentGate.Reverted(copies))
        {
            return "reverted";
        }

        if (record.Status == StepStatus.Succeeded)
        {
            return "done";
        }

        if (record.Status == StepStatus.Abandoned || DeploymentGate.Stopped(copies))
        {
            return "cancelled";
        }

        if (record.Status is StepStatus.Failed or StepStatus.Cancelled)
        {
            return "failed";
        }

        if (copies.Count == 0)
        {
            return record.Status;
        }

        if (DeploymentGate.CutOver(copies) || copies.Any(c => c.State is "cutting-over"))
        {
            return "cutting-over";
        }

        return DeploymentGate.Ready(copies) ? copies.Any(c => c.ApprovedBy is not null) ? "approved" : "ready" : "copying";
    }

    /// <summary>Whether a deployment in <paramref name="state"/> has reached <paramref name="goal"/> (ready: held at the gate or further).</summary>
    public static bool Reached(string state, string goal) => goal == "ready" ? state is "ready" or "approved" or "cutting-over" or "done" : state == "done";

    public static async Task<int> RunAsync(IDatabaseSession session, StateTableNames names, string? deploymentId, string goal, TimeSpan timeout, bool json, string? shard, CancellationToken cancellationToken)
    {
        var store = new DeploymentStateStore(session, names);
        var ghost = new GhostCopyStore(session, names);
        var started = DateTimeOffset.UtcNow;
        string? last = null;
        while (true)
        {
            var record = await FindAsync(store, session, deploymentId, cancellationToken);
            var state = GateState(record, await ghost.ListAsync(record.DeploymentId, cancellationToken));
            if (state != last)
            {
                Console.Error.WriteLine($"{(shard is null ? string.Empty : $"[{shard}] ")}deployment {record.DeploymentId}: {state}");
                last = state;
            }

            var reached = Reached(state, goal);
            var stopped = state is "failed" or "cancelled" or "reverted";
            var timedOut = DateTimeOffset.UtcNow - started > timeout;
            if (reached || stopped || timedOut)
            {
                var code = reached ? ExitCodes.Success : stopped ? ExitCodes.DeploymentFailed : ExitCodes.WaitTimedOut;
                var prefix = shard is null ? string.Empty : $"[{shard}] ";
                Console.Out.Write(json
                    ? ShardField(new JsonWriter(indented: shard is null).StartObject(), shard).Name("deploymentId").String(record.DeploymentId).Name("gateState").String(state).Name("waitedFor").String(goal)
                        .Name("reached").Bool(reached).Name("exitCode").Number(code).EndObject() + "\n"
                    : reached ? $"{prefix}deployment {record.DeploymentId} is {state}.\n"
                    : stopped ? $"{prefix}deployment {record.DeploymentId} is {state}: it will not become {goal}{(record.Error is { } error ? ": " + error : string.Empty)}\n"
                    : $"{prefix}deployment {record.DeploymentId} is still {state} after {timeout.TotalSeconds:0}s (waited for {goal}).\n");
                return code;
            }

            await Task.Delay(Poll, cancellationToken);
        }
    }

    /// <summary>With --targets each shard's result is one JSON line that names the shard.</summary>
    private static JsonWriter ShardField(JsonWriter json, string? shard) => shard is null ? json : json.Name("shard").String(shard);

    private static async Task<DeploymentRecord> FindAsync(DeploymentStateStore store, IDatabaseSession session, string? deploymentId, CancellationToken cancellationToken)
    {
        if (!await store.ExistsAsync(cancellationToken))
        {
            throw new UsageException($"no deployments recorded in {session.DatabaseName}: nothing to wait for");
        }

        if (deploymentId is null)
        {
            return (await store.ListAsync(1, cancellationToken)).FirstOrDefault() ?? throw new UsageException($"no deployments recorded in {session.DatabaseName}: nothing to wait for");
        }

        return await store.GetAsync(deploymentId, cancellationToken)
            ?? throw new UsageException($"--deployment: no deployment '{deploymentId}' in {session.DisplayName}; run 'dotnet schema status' to list them");
    }
}
