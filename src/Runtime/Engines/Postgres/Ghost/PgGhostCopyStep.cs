using System;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;

using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Engines.Postgres.Ghost;

/// <summary>
/// Runs one ghost-copy step of a plan on PostgreSQL: the shadow gets the table as it is after the
/// step (the live table with the step's changes applied), then <see cref="PgGhostCopy"/> copies,
/// streams, verifies and swaps. A deploy after a kill resumes the same copy: its objects are named
/// from the deployment id and the step.
/// </summary>
internal static class PgGhostCopyStep
{
    public static async Task RunAsync(PostgresSession session, string deploymentId, PlanStep step, PgGhostOptions options, CancellationToken cancellationToken)
    {
        var connectionString = session.SiblingConnectionString
            ?? throw new GhostCopyRefusedException(
                "a ghost copy opens more connections (copy, replication stream, cutover), which a session attached to an open connection cannot; deploy with a connection URL or string, or a data source.");
        var table = step.Table ?? throw new GhostCopyRefusedException($"step {step.Id} names no table to copy; compile the plan again with this version.");
        var live = await session.CreateIntrospector(Array.Empty<string>()).IntrospectAsync(cancellationToken).ConfigureAwait(false);
        var after = live;
        foreach (var change in step.Changes)
        {
            after = ChangeApplier.Apply(after, change);
        }

        var target = after.FindTable(table)
            ?? throw new GhostCopyRefusedException($"step {step.Id}: {table} is not in the live schema; it must exist before its ghost copy runs.");
        if (target.Partitioning is not null || target.PartitionOf is not null || target.Inherits.Count > 0)
        {
            throw new GhostCopyRefusedException($"{table} is partitioned or inherits; a ghost copy of it is not supported. Apply this change in a maintenance window (plan.sql).");
        }

        var copy = new PgGhostCopy(connectionString, deploymentId + "/" + step.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), new[] { (table, target) }, options);
        await copy.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes what the ghost copy of a step left (slot, publication, changelog, shadow): cancel after a crash.</summary>
    public static async Task CleanupAsync(PostgresSession session, string deploymentId, int stepId, QualifiedName table, CancellationToken cancellationToken)
    {
        var names = PgGhostNames.For(deploymentId + "/" + stepId.ToString(System.Globalization.CultureInfo.InvariantCulture), table.Schema ?? "public");
        await PgGhostCopy.CleanupAsync(new PgSql(session.Connection), names, new[] { table }, cancellationToken).ConfigureAwait(false);
    }
}
