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
/// A PostgreSQL ghost copy of <c>items</c> prepared up to its shadow, for tests of one role (copier,
/// checksum, cutover reads): a fresh database with the baseline and its fill, the engine opened, the
/// shadow built from the plan step between the baseline and the desired definition.
/// </summary>
internal sealed class PreparedPgCopy : IAsyncDisposable
{
    private PreparedPgCopy(TestDatabase database, PostgresSession session, PostgresOnlineEngine engine, GhostCopyTable table)
    {
        Database = database;
        Session = session;
        Engine = engine;
        Table = table;
    }

    public TestDatabase Database { get; }

    public PostgresSession Session { get; }

    public PostgresOnlineEngine Engine { get; }

    public GhostCopyTable Table { get; }

    /// <summary>The engine's view of the table (shadow name, mapping, deferred indexes).</summary>
    public PgGhostTable Prepared => Engine.Prepared(Table);

    /// <param name="setup">Run after the baseline, before the shadow is built (rows, roles, other objects).</param>
    public static async Task<PreparedPgCopy> CreateAsync(string label, string baseline, string desired, string setup)
    {
        var database = await TestDatabase.CreateAsync(DialectKind.Postgres, label);
        await database.RunAsync(baseline + setup);
        var session = (PostgresSession)await database.OpenAsync();
        var engine = await PostgresOnlineEngine.CreateAsync(session, GhostCopyOptions.Default, CancellationToken.None);
        await engine.OpenAsync(CancellationToken.None);
        var step = Plans.Between(DialectKind.Postgres, baseline, desired).Steps.Single(s => s.Changes.Count > 0);
        var table = await engine.PrepareAsync(new GhostCopyRequest(new QualifiedName("public", "items"), step.Sql) { Changes = step.Changes }, resume: false, CancellationToken.None);
        return new PreparedPgCopy(database, session, engine, table);
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Session.DisposeAsync();
        await Database.DisposeAsync();
    }
}
