using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Engines.Postgres;
using SchemaBuild.Runtime.Engines.Postgres.Online;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Tests.GhostCopy.Postgres;

/// <summary>
/// A PostgreSQL ghost copy prepared up to its shadow (<see cref="PreparedCopy{TSession, TEngine}"/>).
/// </summary>
internal sealed class PreparedPgCopy : PreparedCopy<PostgresSession, PostgresOnlineEngine>
{
    private PreparedPgCopy(Parts parts)
        : base(parts)
    {
    }

    /// <summary>The engine's view of the table (shadow name, mapping, deferred indexes).</summary>
    public PgGhostTable Prepared => Engine.Prepared(Table);

    public static async Task<PreparedPgCopy> CreateAsync(string label, string baseline, string desired, string setup, GhostCopyOptions? options = null) =>
        new(await PrepareAsync(DialectKind.Postgres, label, baseline, desired, setup, new QualifiedName("public", "items"), session => PostgresOnlineEngine.CreateAsync(session, options ?? GhostCopyOptions.Default, CancellationToken.None)));
}
