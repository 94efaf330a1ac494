using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Planning;
using SchemaBuild.Core.Serialization;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Sessions;
using SchemaBuild.Runtime.State;

namespace SchemaBuild.Cli.Commands;

/// <summary>
/// Compiles schema files against the live database (the live model as the baseline, the server's
/// version for the strategies): what <c>diff</c> prints and <c>deploy --schema</c> applies. The
/// control tables are left out of the live model, so they are never planned as tables to drop.
/// When the live schema is still what the last deployment recorded, that model (with its
/// annotations) stands for it.
/// </summary>
public static class LivePlan
{
    /// <param name="desired">The schema files: from --schema (the server's dialect unless --dialect says otherwise) or the project.</param>
    /// <param name="baseline">Plan from this baseline instead of the live schema.</param>
    public static async Task<PlanCompilation> CompileAsync(IDatabaseSession session, PlanRequest desired, string? baseline, StateTableNames stateTables, CancellationToken cancellationToken)
    {
        if (desired.Dialect != session.Dialect)
        {
            throw new UsageException($"the schema files are {DialectNames.Of(desired.Dialect)} but {session.DisplayName} is {DialectNames.Of(session.Dialect)} {session.ServerVersion}; connect to a {DialectNames.Of(desired.Dialect)} server or fix the dialect");
        }

        string? snapshot = null;
        if (baseline is null)
        {
            var live = await (await LiveSchema.IntrospectorAsync(session, stateTables, cancellationToken).ConfigureAwait(false)).IntrospectAsync(cancellationToken).ConfigureAwait(false);
            // While the live schema is what the last deployment reached, its recorded model is the baseline: the same objects, with
            // their annotations (a drop of a column deprecated then is a planned contraction) and the files and lines they came from.
            var deployed = await new DeploymentStateStore(session, stateTables).DeployedModelAsync(live, cancellationToken).ConfigureAwait(false);
            snapshot = Path.Combine(Path.GetTempPath(), $"schemabuild-live-{Environment.ProcessId}-{Guid.NewGuid():N}.json");
            await File.WriteAllTextAsync(snapshot, BaselineSnapshot.Write(deployed ?? live), cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return PlanCompiler.Compile(desired with { ServerVersion = session.ServerVersion, Baseline = snapshot ?? baseline });
        }
        finally
        {
            if (snapshot is not null)
            {
                File.Delete(snapshot);
            }
        }
    }
}
