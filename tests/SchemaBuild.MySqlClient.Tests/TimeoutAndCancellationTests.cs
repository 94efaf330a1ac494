using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace SchemaBuild.MySqlClient.Tests;

[Collection(MariaDbCollection.Name)]
public sealed class TimeoutAndCancellationTests
{
    private readonly MariaDbFixture _db;

    public TimeoutAndCancellationTests(MariaDbFixture db) => _db = db;

    [Fact]
    public async Task Command_timeout_kills_the_query_and_keeps_the_connection()
    {
        await using var connection = await _db.OpenAsync(_db.Options.WithTimeouts(command: TimeSpan.FromSeconds(1)));
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<TimeoutException>(() => connection.ExecuteAsync("SELECT SLEEP(20)"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8), watch.Elapsed.ToString());
        Assert.Equal(1L, Convert.ToInt64(await connection.QueryScalarAsync("SELECT 1")));
    }

    [Fact]
    public async Task Cancellation_sends_kill_query_and_keeps_the_connection()
    {
        await using var connection = await _db.OpenAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var watch = Stopwatch.StartNew();
        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connection.ExecuteAsync("SELECT SLEEP(20)", cts.Token));
        Assert.Equal(cts.Token, e.CancellationToken);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8), watch.Elapsed.ToString());
        Assert.Equal(2L, Convert.ToInt64(await connection.QueryScalarAsync("SELECT 2")));
    }

    [Fact]
    public async Task Cancellation_of_a_long_data_statement_interrupts_it()
    {
        var (connection, database) = await _db.OpenScratchAsync("cancel");
        await using var _ = connection;
        await connection.ExecuteAsync("CREATE TABLE t (id INT PRIMARY KEY)");
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            connection.ExecuteAsync("INSERT INTO t SELECT a.seq * 1000000 + b.seq FROM seq_1_to_1000 a, seq_1_to_1000000 b", cts.Token));
        Assert.Equal(0L, Convert.ToInt64(await connection.QueryScalarAsync("SELECT COUNT(*) FROM t")));
        await _db.DropDatabaseAsync(database);
    }

    [Fact]
    public async Task Already_canceled_token_does_not_send_anything()
    {
        await using var connection = await _db.OpenAsync();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connection.ExecuteAsync("SELECT 1", cts.Token));
        Assert.Equal(3L, Convert.ToInt64(await connection.QueryScalarAsync("SELECT 3")));
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
            var e = await Assert.ThrowsAsync<TimeoutException>(() => MySqlConnection.OpenAsync(options));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
            Assert.DoesNotContain(options.Password, e.ToString());
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task Cancellation_while_streaming_rows_stops_the_stream()
    {
        await using var connection = await _db.OpenAsync();
        using var cts = new CancellationTokenSource();
        long read = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await using var reader = await connection.QueryAsync("SELECT a.seq, SLEEP(0.001) FROM seq_1_to_100000 a", cts.Token);
            while (await reader.ReadAsync(cts.Token))
            {
                if (++read == 10) cts.Cancel();
            }
        });
        Assert.True(read >= 10);
        Assert.Equal(4L, Convert.ToInt64(await connection.QueryScalarAsync("SELECT 4")));
    }
}
