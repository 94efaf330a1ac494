using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Engines.MySql;
using SchemaBuild.Runtime.Engines.MySql.Online;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Tests.GhostCopy.MySql;

/// <summary>
/// A MariaDB ghost copy prepared up to its shadow, for tests of one role (copier, checksum): a fresh
/// database with <c>items</c> created from a baseline and filled, the engine opened, the shadow built
/// from the plan step between the baseline and the desired definition.
/// </summary>
internal sealed class PreparedMySqlCopy : IAsyncDisposable
{
    private PreparedMySqlCopy(TestDatabase database, MySqlSession session, MySqlOnlineEngine engine, GhostCopyTable table)
    {
        Database = database;
        Session = session;
        Engine = engine;
        Table = table;
    }

    public TestDatabase Database { get; }

    public MySqlSession Session { get; }

    public MySqlOnlineEngine Engine { get; }

    public GhostCopyTable Table { get; }

    /// <summary>The shadow's name, quoted.</summary>
    public string Shadow => "`" + Table.Shadow + "`";

    public static async Task<PreparedMySqlCopy> CreateAsync(string label, string baseline, string desired, string fill)
    {
        var database = await TestDatabase.CreateAsync(DialectKind.MariaDb, label);
        await database.RunAsync(baseline);
        await database.RunAsync(fill);
        var session = (MySqlSession)await database.OpenAsync();
        var engine = await MySqlOnlineEngine.CreateAsync(session, GhostCopyOptions.Default, CancellationToken.None);
        await engine.OpenAsync(CancellationToken.None);
        var step = Plans.Between(DialectKind.MariaDb, baseline, desired).Steps.Single(s => s.Changes.Count > 0);
        var table = await engine.PrepareAsync(new GhostCopyRequest(QualifiedName.Unqualified("items"), step.Sql) { Changes = step.Changes }, resume: false, CancellationToken.None);
        return new PreparedMySqlCopy(database, session, engine, table);
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Session.DisposeAsync();
        await Database.DisposeAsync();
    }
}
