using System;
using System.CommandLine;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Loading;
using SchemaBuild.Core.Planning;
using SchemaBuild.Runtime.Sessions;
using SchemaBuild.Runtime.State;

namespace SchemaBuild.Cli.Commands;

/// <summary>
/// Compiles schema files against the live database (the live model as the baseline, the server's
/// version for the strategies): what <c>diff</c> prints and <c>deploy --schema</c> applies. The
/// control tables are left out of the live model, so they are never planned as tables to drop.
/// </summary>
public static class LivePlan
{
    public static async Task<PlanCompilation> CompileAsync(IDatabaseSession session, DirectoryInfo folder, string? dialectText, string? baseline, StateTableNames stateTables, CancellationToken cancellationToken)
    {
        var dialect = session.Dialect;
        if (dialectText is not null)
        {
            if (!DialectNames.TryParse(dialectText, out var named))
            {
                throw new UsageException($"--dialect: '{dialectText}' is not a dialect; use mysql, mariadb or postgres");
            }

            if (named != session.Dialect)
            {
                throw new UsageException($"--dialect {dialectText} does not match the server: {session.DisplayName} is {DialectNames.Of(session.Dialect)} {session.ServerVersion}");
            }
        }

        if (!folder.Exists)
        {
            throw new UsageException($"--schema: folder '{folder.FullName}' does not exist; pass the folder that holds your .sql schema files");
        }

        string? snapshot = null;
        if (baseline is null)
        {
            var live = await session.CreateIntrospector(stateTables.All).IntrospectAsync(cancellationToken).ConfigureAwait(false);
            snapshot = Path.Combine(Path.GetTempPath(), $"schemabuild-live-{Environment.ProcessId}-{Guid.NewGuid():N}.json");
            await File.WriteAllTextAsync(snapshot, BaselineSnapshot.Write(live), cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var request = new PlanRequest(dialect, SchemaFiles.FromDirectory(folder.FullName, Environment.CurrentDirectory), folder.FullName)
            {
                ServerVersion = session.ServerVersion,
                Baseline = snapshot ?? baseline,
                Severities = Core.Rules.EditorConfigSeverities.Load(folder.FullName),
            };
            return PlanCompiler.Compile(request);
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
