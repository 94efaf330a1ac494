using System;
using System.Data;
using System.Data.Common;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using Npgsql;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Connections;

using SchemaBuild.Runtime.Sessions;

using SchemaBuild.Runtime.Engines.MySql;
using SchemaBuild.Runtime.Engines.Postgres;

namespace SchemaBuild.Runtime.Engines;

/// <summary>
/// Opens sessions: from a URL or ADO.NET connection string, from the application's own
/// <see cref="DbDataSource"/> (<c>NpgsqlDataSource</c>, <c>MySqlDataSource</c>) or from an open
/// <see cref="DbConnection"/>. The one place that maps an engine to its session implementation.
/// Each overload takes an optional <see cref="ILogger"/>: the session logs its statements at Debug
/// and a held deployment lock at Information, naming the connection with its password as <c>***</c>.
/// </summary>
public static class DatabaseSessions
{
    /// <summary>Client-side bound on one command; the server-side statement timeout is set per deployment.</summary>
    public static readonly TimeSpan DefaultCommandTimeout = TimeSpan.FromHours(2);

    /// <summary>Opens a session from a URL (<c>postgres://…</c>, <c>mysql://…</c>, <c>mariadb://…</c>) or an Npgsql / MySqlConnector connection string.</summary>
    public static Task<IDatabaseSession> OpenAsync(string connection, CancellationToken cancellationToken = default) =>
        OpenAsync(connection, null, cancellationToken);

    /// <inheritdoc cref="OpenAsync(string, CancellationToken)"/>
    public static Task<IDatabaseSession> OpenAsync(string connection, ILogger? logger, CancellationToken cancellationToken = default) =>
        OpenAsync(ConnectionUrl.Parse(connection), DefaultCommandTimeout, logger, cancellationToken);

    public static Task<IDatabaseSession> OpenAsync(ConnectionUrl url, TimeSpan commandTimeout, CancellationToken cancellationToken = default) =>
        OpenAsync(url, commandTimeout, null, cancellationToken);

    public static async Task<IDatabaseSession> OpenAsync(ConnectionUrl url, TimeSpan commandTimeout, ILogger? logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.CertificateAuthorityFile is { } ca && !System.IO.File.Exists(ca))
        {
            throw ConnectionFailedException.From(url, new System.IO.FileNotFoundException($"Cannot read the TLS CA file '{ca}'"), ConnectionFailureKind.Tls);
        }

        return url.Dialect == DialectKind.Postgres
            ? await PostgresSession.OpenAsync(url, commandTimeout, cancellationToken, logger).ConfigureAwait(false)
            : await MySqlSession.OpenAsync(url, commandTimeout, cancellationToken, logger).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens a session on a new connection from the application's data source (its pooling, TLS and
    /// credentials as configured). The session closes that connection when disposed.
    /// </summary>
    public static Task<IDatabaseSession> OpenAsync(DbDataSource dataSource, CancellationToken cancellationToken = default) =>
        OpenAsync(dataSource, null, cancellationToken);

    /// <inheritdoc cref="OpenAsync(DbDataSource, CancellationToken)"/>
    public static async Task<IDatabaseSession> OpenAsync(DbDataSource dataSource, ILogger? logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await AttachAsync(connection, ownsConnection: true, logger, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// A session on the application's open connection (<c>NpgsqlConnection</c> or MySqlConnector's
    /// <c>MySqlConnection</c>); it stays open when the session is disposed. For MySQL/MariaDB the
    /// connection string should set <c>AllowUserVariables=true</c> when the schema has routines or
    /// triggers that use <c>@variables</c>.
    /// </summary>
    public static Task<IDatabaseSession> OpenAsync(DbConnection connection, CancellationToken cancellationToken = default) =>
        OpenAsync(connection, null, cancellationToken);

    /// <inheritdoc cref="OpenAsync(DbConnection, CancellationToken)"/>
    public static Task<IDatabaseSession> OpenAsync(DbConnection connection, ILogger? logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection.State != ConnectionState.Open)
        {
            throw new ArgumentException("the connection is not open; open it first, or pass its DbDataSource", nameof(connection));
        }

        return AttachAsync(connection, ownsConnection: false, logger, cancellationToken);
    }

    private static async Task<IDatabaseSession> AttachAsync(DbConnection connection, bool ownsConnection, ILogger? logger, CancellationToken cancellationToken) => connection switch
    {
        NpgsqlConnection npgsql => await PostgresSession.AttachAsync(npgsql, ownsConnection, AdoConnectionStrings.Describe(DialectKind.Postgres, npgsql.ConnectionString).ToString(), cancellationToken, logger).ConfigureAwait(false),
        MySqlConnection mysql => await MySqlSession.AttachAsync(mysql, ownsConnection, AdoConnectionStrings.Describe(DialectKind.MySql, mysql.ConnectionString).ToString(), cancellationToken, logger).ConfigureAwait(false),
        _ => throw new ArgumentException($"SchemaBuild talks to PostgreSQL through Npgsql and to MySQL/MariaDB through MySqlConnector; a {connection.GetType().FullName} is neither", nameof(connection)),
    };
}
