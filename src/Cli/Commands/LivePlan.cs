using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
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

        if (baseline is not null)
        {
            return PlanCompiler.Compile(desired with { ServerVersion = session.ServerVersion, Baseline = baseline });
        }

        var introspector = await LiveSchema.IntrospectorAsync(session, stateTables, cancellationToken).ConfigureAwait(false);
        var live = await introspector.IntrospectAsync(cancellationToken).ConfigureAwait(false);
        var compilation = await CompileAgainstAsync(session, desired, live, stateTables, cancellationToken).ConfigureAwait(false);

        // Grants in the files to a live object's owner are held through ownership, though the server records none:
        // compiled again against the live schema with them, so they are neither planned nor shown as a difference.
        var owners = await introspector.OwnersAsync(cancellationToken).ConfigureAwait(false);
        var credited = owners.Credit(live, compilation.Desired, EngineProfile.For(session.Dialect, session.ServerVersion));
        return ReferenceEquals(credited, live) ? compilation : await CompileAgainstAsync(session, desired, credited, stateTables, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<PlanCompilation> CompileAgainstAsync(IDatabaseSession session, PlanRequest desired, Schema live, StateTableNames stateTables, CancellationToken cancellationToken)
    {
        // While the live schema is what the last deployment reached, its recorded model is the baseline: the same objects, with
        // their annotations (a drop of a column deprecated then is a planned contraction) and the files and lines they came from.
        var deployed = await new DeploymentStateStore(session, stateTables).DeployedModelAsync(live, cancellationToken).ConfigureAwait(false);
        var snapshot = Path.Combine(Path.GetTempPath(), $"schemabuild-live-{Environment.ProcessId}-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(snapshot, BaselineSnapshot.Write(deployed ?? live), cancellationToken).ConfigureAwait(false);
        try
        {
            return PlanCompiler.Compile(desired with { ServerVersion = session.ServerVersion, Baseline = snapshot });
        }
        finally
        {
            File.Delete(snapshot);
        }
    }
}
