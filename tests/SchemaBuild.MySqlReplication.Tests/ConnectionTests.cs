using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using SchemaBuild.MySqlReplication.Protocol;
using Xunit;

namespace SchemaBuild.MySqlReplication.Tests;

[Collection(MariaDbCollection.Name)]
public sealed class ConnectionTests
{
    private readonly MariaDbFixture _db;

    public ConnectionTests(MariaDbFixture db) => _db = db;

    [Fact]
    public async Task Opens_and_reports_server_version()
    {
        await using var connection = await _db.ConnectAsync();
        Assert.Contains("MariaDB", connection.ServerVersion);
        Assert.True(connection.ConnectionId > 0);
        Assert.Equal("mysql_native_password", connection.AuthPlugin);
        Assert.Equal("10.11", ((string)(await connection.QueryScalarAsync("SELECT VERSION()"))!).Substring(0, 5));
    }

    [Fact]
    public async Task Wrong_password_maps_to_access_denied_without_leaking_it()
    {
        const string secret = "definitely-wrong-Pa55";
        var options = _db.Options.WithCredentials(_db.Options.User, secret);
        var e = await Assert.ThrowsAsync<MySqlServerException>(() => _db.ConnectAsync(options));
        Assert.Equal(1045, e.ErrorCode);
        Assert.Equal("28000", e.SqlState);
        Assert.DoesNotContain(secret, e.ToString());
        Assert.DoesNotContain(secret, options.ToString());
    }

    [Fact]
    public async Task Connection_id_matches_server_side_connection_id()
    {
        await using var connection = await _db.ConnectAsync();
        Assert.Equal((ulong)connection.ConnectionId, Convert.ToUInt64(await connection.QueryScalarAsync("SELECT CONNECTION_ID()")));
    }

    [Fact]
    public async Task Default_database_from_url_is_selected()
    {
        await using var connection = await _db.ConnectAsync();
        Assert.Equal(_db.Options.Database, await connection.QueryScalarAsync("SELECT DATABASE()"));
    }

    [Fact]
    public async Task Connection_refused_fails_fast_with_io_error()
    {
        var options = _db.Options.WithHost("127.0.0.1", 1).WithTimeouts(connect: TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<System.IO.IOException>(() => _db.ConnectAsync(options));
    }

    [Fact]
    public async Task Connect_timeout_fires_on_a_silent_server()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var options = _db.Options.WithHost("127.0.0.1", port).WithTimeouts(connect: TimeSpan.FromMilliseconds(700));
            var watch = Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<TimeoutException>(() => _db.ConnectAsync(options));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
            Assert.DoesNotContain(options.Password, e.ToString());
        }
        finally
        {
            listener.Stop();
        }
    }
}
