using System;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Connections;

namespace SchemaBuild.Runtime.Sessions;

/// <summary>The one place that maps a connection URL's engine to its session implementation.</summary>
public static class DatabaseSessions
{
    /// <summary>Client-side bound on one command; the server-side statement timeout is set per deployment.</summary>
    public static readonly TimeSpan DefaultCommandTimeout = TimeSpan.FromHours(2);

    public static Task<IDatabaseSession> OpenAsync(string url, CancellationToken cancellationToken = default) =>
        OpenAsync(ConnectionUrl.Parse(url), DefaultCommandTimeout, cancellationToken);

    public static async Task<IDatabaseSession> OpenAsync(ConnectionUrl url, TimeSpan commandTimeout, CancellationToken cancellationToken = default) =>
        url.Dialect == DialectKind.Postgres
            ? await PostgresSession.OpenAsync(url, commandTimeout, cancellationToken).ConfigureAwait(false)
            : await MySqlSession.OpenAsync(url, commandTimeout, cancellationToken).ConfigureAwait(false);
}
