using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Online.Roles;
using SchemaBuild.Runtime.Sessions;

namespace SchemaBuild.Runtime.Tests.GhostCopy;

/// <summary>
/// A ghost copy of <c>items</c> prepared up to its shadow, for tests of one role (copier, checksum, cutover
/// reads): a fresh database with the baseline and its set-up, the engine opened, the shadow built from the
/// plan step between the baseline and the desired definition. One engine's kind derives from it.
/// </summary>
internal abstract class PreparedCopy<TSession, TEngine> : IAsyncDisposable
    where TSession : IDatabaseSession
    where TEngine : IOnlineEngine, IAsyncOpen
{
    protected PreparedCopy(Parts parts)
    {
        (Database, Session, Engine, Table) = parts;
    }

    public TestDatabase Database { get; }

    public TSession Session { get; }

    public TEngine Engine { get; }

    public GhostCopyTable Table { get; }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Session.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <param name="setup">Run after the baseline, before the shadow is built (rows, roles, other objects).</param>
    protected static async Task<Parts> PrepareAsync(
        DialectKind dialect, string label, string baseline, string desired, string setup, QualifiedName items, Func<TSession, Task<TEngine>> createEngine)
    {
        var database = await TestDatabase.CreateAsync(dialect, label);
        await database.RunAsync(baseline);
        if (!string.IsNullOrWhiteSpace(setup))
        {
            await database.RunAsync(setup);
        }

        var session = (TSession)await database.OpenAsync();
        var engine = await createEngine(session);
        await engine.OpenAsync(CancellationToken.None);
        var step = Plans.Between(dialect, baseline, desired).Steps.Single(s => s.Changes.Count > 0);
        var table = await engine.PrepareAsync(new GhostCopyRequest(items, step.Sql) { Changes = step.Changes }, resume: false, CancellationToken.None);
        return new Parts(database, session, engine, table);
    }

    protected sealed record Parts(TestDatabase Database, TSession Session, TEngine Engine, GhostCopyTable Table);
}
