using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Introspection;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Sessions;
using SchemaBuild.Runtime.State;

namespace SchemaBuild.Runtime.Deployment;

/// <summary>How a live database is read when it is compared with schema files (deploy, diff, plan against live, inspect).</summary>
public static class LiveSchema
{
    /// <summary>
    /// The introspector that leaves out the control tables and the tables ghost copies created or keep
    /// (shadows, changelogs, and the old tables kept until <c>dotnet schema complete</c>): they are the
    /// tool's, not the application's, so they are neither drift nor part of an inspected schema.
    /// </summary>
    public static async Task<ISchemaIntrospector> IntrospectorAsync(IDatabaseSession session, StateTableNames stateTables, CancellationToken cancellationToken)
    {
        var artifacts = await new GhostCopyStore(session, stateTables).ArtifactTablesAsync(cancellationToken).ConfigureAwait(false);
        return session.CreateIntrospector(stateTables.All.Concat(artifacts.Where(a => a.Length > 0)).ToList());
    }
}
