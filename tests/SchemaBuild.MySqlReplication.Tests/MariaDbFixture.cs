using System;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.MySqlReplication.Protocol;
using Xunit;

using SchemaBuild.Tests.Shared;

namespace SchemaBuild.MySqlReplication.Tests;

/// <summary>
/// The throwaway MariaDB from eng/db.sh. Tests that need it fail with a clear
/// message when SCHEMABUILD_TEST_MARIADB is not set: they never skip.
/// </summary>
public sealed class MariaDbFixture
{
    private static int _counter;

    public MariaDbFixture()
    {
        var url = TestServerUrl.MariaDb;
        Options = MySqlConnectionOptions.Parse(url).WithSslMode(MySqlSslMode.Disabled);
        TlsCa = Environment.GetEnvironmentVariable("SCHEMABUILD_TEST_TLS_CA");
    }

    public MySqlConnectionOptions Options { get; }
    public string? TlsCa { get; }

    /// <summary>A MySqlConnector connection for setting up data (the library under test sends no SQL of its own beyond the replication setup).</summary>
    public async Task<MySqlConnector.MySqlConnection> OpenAsync(MySqlConnectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        var o = options ?? Options;
        var builder = new MySqlConnector.MySqlConnectionStringBuilder
        {
            Server = o.Host,
            Port = (uint)o.Port,
            UserID = o.User,
            Password = o.Password,
            Database = o.Database ?? string.Empty,
            SslMode = MySqlConnector.MySqlSslMode.None,
            Pooling = false,
            AllowUserVariables = true,
        };
        var connection = new MySqlConnector.MySqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>A replication-library session: handshake, TLS and authentication only.</summary>
    internal Task<ServerSession> ConnectAsync(MySqlConnectionOptions? options = null, CancellationToken cancellationToken = default) =>
        ServerSession.ConnectAsync(options ?? Options, cancellationToken);

    /// <summary>A database name unique to this test run and call, so suites can run side by side.</summary>
    public static string UniqueName(string prefix) =>
        $"{prefix}_{Environment.ProcessId}_{Interlocked.Increment(ref _counter)}_{Guid.NewGuid().ToString("N").Substring(0, 6)}";

    /// <summary>Creates a fresh database and returns a connection using it.</summary>
    public async Task<(MySqlConnector.MySqlConnection Connection, string Database)> OpenScratchAsync(string prefix)
    {
        string database = UniqueName(prefix);
        await using (var admin = await OpenAsync())
        {
            await admin.ExecuteAsync($"CREATE DATABASE `{database}` CHARACTER SET utf8mb4");
        }
        return (await OpenAsync(Options.WithDatabase(database)), database);
    }

    public async Task DropDatabaseAsync(string database)
    {
        await using var admin = await OpenAsync();
        await admin.ExecuteAsync($"DROP DATABASE IF EXISTS `{database}`");
    }
}

/// <summary>Short forms for the SQL the tests run.</summary>
internal static class SqlShortcuts
{
    public static async Task<int> ExecuteAsync(this MySqlConnector.MySqlConnection connection, string sql, CancellationToken cancellationToken = default)
    {
        await using var command = new MySqlConnector.MySqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<object?> QueryScalarAsync(this MySqlConnector.MySqlConnection connection, string sql, CancellationToken cancellationToken = default)
    {
        await using var command = new MySqlConnector.MySqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    /// <summary>The first column of the first row, through the replication session's own text query.</summary>
    public static async Task<string?> QueryScalarAsync(this ServerSession session, string sql, CancellationToken cancellationToken = default)
    {
        var rows = await session.QueryTextAsync(sql, cancellationToken);
        return rows.Count > 0 ? rows[0][0] : null;
    }
}

[CollectionDefinition(Name)]
public sealed class MariaDbCollection : ICollectionFixture<MariaDbFixture>
{
    public const string Name = "MariaDB";
}
