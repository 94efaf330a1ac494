using System;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Planning;
using SchemaBuild.Runtime.Engines.Postgres;
using SchemaBuild.Runtime.Engines.Postgres.Ghost;
using SchemaBuild.Runtime.Sessions;

namespace SchemaBuild.Runtime.Deployment;

/// <summary>
/// Runs a ghost-copy step on PostgreSQL through its logical-replication engine, and refuses it on
/// an engine that has none yet. The bridge from the step executor until the engine-neutral ghost-copy
/// dispatch (OnlineEngines) maps PostgreSQL to its engine.
/// </summary>
internal static class PostgresGhostCopySteps
{
    public static async Task RunAsync(IDatabaseSession session, string deploymentId, PlanStep step, DeployOptions options, CancellationToken cancellationToken)
    {
        if (session is not PostgresSession postgres)
        {
            throw new StepFailedException(deploymentId, step.Id, GhostCopyRefusal.Message(step), null);
        }

        var ghost = PgGhostOptions.Default with
        {
            CutoverLockWait = options.LockWait.LockWait,
            Progress = options.Progress is { } progress ? line => progress.Note($"step {step.Id}: {line}") : null,
        };
        try
        {
            await PgGhostCopyStep.RunAsync(postgres, deploymentId, step, ghost, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not StepFailedException)
        {
            throw new StepFailedException(deploymentId, step.Id,
                $"step {step.Id} ({step.Change} {step.ObjectName}, ghost-copy) failed: {ex.Message}\n"
                + "The original table keeps serving, and the copy's slot, publication and shadow were removed. Fix the cause, then run deploy again.", ex);
        }
    }
}
