using System;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

using SchemaBuild.Tests.Shared;

namespace SchemaBuild.MySqlClient.Tests;

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

    public Task<MySqlConnection> OpenAsync(MySqlConnectionOptions? options = null, CancellationToken cancellationToken = default) =>
        MySqlConnection.OpenAsync(options ?? Options, cancellationToken);

    /// <summary>A database name unique to this test run and call, so suites can run side by side.</summary>
    public static string UniqueName(string prefix) =>
        $"{prefix}_{Environment.ProcessId}_{Interlocked.Increment(ref _counter)}_{Guid.NewGuid().ToString("N").Substring(0, 6)}";

    /// <summary>Creates a fresh database and returns a connection using it.</summary>
    public async Task<(MySqlConnection Connection, string Database)> OpenScratchAsync(string prefix)
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

[CollectionDefinition(Name)]
public sealed class MariaDbCollection : ICollectionFixture<MariaDbFixture>
{
    public const string Name = "MariaDB";
}
