using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Engines.MySql;
using SchemaBuild.Runtime.Engines.MySql.Online;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Online.Roles;
using SchemaBuild.Runtime.Sessions;

namespace SchemaBuild.Runtime.Engines;

/// <summary>The one place that maps a session's engine to its ghost-copy engine (<see cref="IOnlineEngine"/>).</summary>
internal static class OnlineEngines
{
    /// <summary>The engine for the session's server, or null when this version has no online copy for it (the step is then refused with a message).</summary>
    public static async Task<IOnlineEngine?> CreateAsync(IDatabaseSession session, GhostCopyOptions options, CancellationToken cancellationToken) => session switch
    {
        MySqlSession mysql => await MySqlOnlineEngine.CreateAsync(mysql, options, cancellationToken).ConfigureAwait(false),
        Postgres.PostgresSession postgres => await Postgres.Online.PostgresOnlineEngine.CreateAsync(postgres, options, cancellationToken).ConfigureAwait(false),
        _ => null,
    };

    /// <summary>The change-capture objects ghost copies keep on the server (PostgreSQL replication slots); none on engines that keep nothing there (the binlog is read as it is).</summary>
    public static async Task<System.Collections.Generic.IReadOnlyList<StreamLeftover>> StreamLeftoversAsync(IDatabaseSession session, CancellationToken cancellationToken) => session switch
    {
        Postgres.PostgresSession postgres => await Postgres.Online.PgGhostSlots.ListAsync(postgres, cancellationToken).ConfigureAwait(false),
        _ => System.Array.Empty<StreamLeftover>(),
    };

    /// <summary>Drops one of <see cref="StreamLeftoversAsync"/>.</summary>
    public static Task DropStreamLeftoverAsync(IDatabaseSession session, string name, CancellationToken cancellationToken) => session switch
    {
        Postgres.PostgresSession postgres => Postgres.Online.PgGhostSlots.DropAsync(postgres, name, cancellationToken),
        _ => Task.CompletedTask,
    };
}
