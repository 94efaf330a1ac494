using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.MySqlReplication.Binlog;
using Xunit;

namespace SchemaBuild.MySqlReplication.Tests;

/// <summary>The replication stream against the real server: load, ordering, GTIDs, heartbeats and resume.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class BinlogStreamTests
{
    private readonly MariaDbFixture _db;

    public BinlogStreamTests(MariaDbFixture db) => _db = db;

    private BinlogClientOptions Options(BinlogStartPosition start) =>
        new(_db.Options, start) { ServerId = BinlogTestHelpers.NextServerId(), ReconnectDelay = TimeSpan.FromMilliseconds(100) };

    /// <summary>A change as the writer made it and as the stream must report it.</summary>
    private readonly record struct Change(int Table, RowChangeKind Kind, int Id);

    /// <summary>
    /// One writer makes changes in a known order; the stream must report exactly those
    /// changes, in that order, for this test's own database.
    /// </summary>
    private static async Task<List<Change>> WriteMixedLoadAsync(MySqlConnector.MySqlConnection connection, int tables, int changes, int seed, int batch, int pauseMs = 0)
    {
        var random = new Random(seed);
        var live = Enumerable.Range(0, tables).Select(_ => new List<int>()).ToArray();
        var nextId = new int[tables];
        var expected = new List<Change>(changes);
        var sql = new StringBuilder();
        int inBatch = 0;
        for (int i = 0; i < changes; i++)
        {
            int t = random.Next(tables);
            int roll = random.Next(10);
            if (live[t].Count == 0 || roll < 5)
            {
                int id = ++nextId[t];
                live[t].Add(id);
                sql.Append($"INSERT INTO t{t} (id, v) VALUES ({id}, {i});");
                expected.Add(new Change(t, RowChangeKind.Insert, id));
            }
            else
            {
                int index = random.Next(live[t].Count);
                int id = live[t][index];
                if (roll < 8)
                {
                    sql.Append($"UPDATE t{t} SET v = {i} WHERE id = {id};");
                    expected.Add(new Change(t, RowChangeKind.Update, id));
                }
                else
                {
                    live[t].RemoveAt(index);
                    sql.Append($"DELETE FROM t{t} WHERE id = {id};");
                    expected.Add(new Change(t, RowChangeKind.Delete, id));
                }
            }
            if (++inBatch == batch || i == changes - 1)
            {
                await connection.ExecuteAsync("START TRANSACTION;" + sql + "COMMIT;");
                sql.Clear();
                inBatch = 0;
                if (pauseMs > 0) await Task.Delay(pauseMs);
            }
        }
        return expected;
    }

    private static void Collect(BinlogEvent ev, string database, List<Change> seen)
    {
        if (ev is not RowsEvent rows || rows.Table.Database != database) return;
        int table = int.Parse(rows.Table.Table.AsSpan(1));
        foreach (var row in rows.Rows)
        {
            var image = row.After ?? row.Before!;
            seen.Add(new Change(table, rows.Kind, (int)image[0]!));
        }
    }

    private async Task<(MySqlConnector.MySqlConnection Connection, string Database)> CreateTablesAsync(string prefix, int tables)
    {
        var (connection, database) = await _db.OpenScratchAsync(prefix);
        var ddl = new StringBuilder();
        for (int t = 0; t < tables; t++) ddl.Append($"CREATE TABLE t{t} (id INT PRIMARY KEY, v INT NOT NULL, pad VARCHAR(20) NOT NULL DEFAULT 'x');");
        await connection.ExecuteAsync(ddl.ToString());
        return (connection, database);
    }

    [Fact]
    public async Task Streams_100k_mixed_changes_across_20_tables_in_commit_order()
    {
        const int Changes = 100_000;
        var (connection, database) = await CreateTablesAsync("load", 20);
        await using var _ = connection;
        var start = await BinlogTestHelpers.CurrentPositionAsync(connection);
        var seen = new List<Change>(Changes);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var client = new BinlogClient(Options(BinlogStartPosition.FromFile(start)));
        // Stream while the load runs: the reader follows the writer live.
        var reading = Task.Run(async () =>
        {
            await foreach (var ev in client.ReadEventsAsync(cts.Token))
            {
                Collect(ev, database, seen);
                if (seen.Count >= Changes) break;
            }
        });
        var expected = await WriteMixedLoadAsync(connection, 20, Changes, seed: 7, batch: 500);
        await reading;
        Assert.Equal(Changes, seen.Count);
        for (int i = 0; i < Changes; i++)
        {
            Assert.True(expected[i] == seen[i], $"change {i}: expected {expected[i]}, streamed {seen[i]}");
        }
        Assert.Equal(0, client.ReconnectCount);
        await _db.DropDatabaseAsync(database);
    }

    [Fact]
    public async Task Reconnects_after_the_server_kills_the_dump_and_loses_or_repeats_nothing()
    {
        const int Changes = 6000;
        var (connection, database) = await CreateTablesAsync("resume", 4);
        await using var _ = connection;
        var start = await BinlogTestHelpers.CurrentPositionAsync(connection);
        var seen = new List<Change>();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var client = new BinlogClient(Options(BinlogStartPosition.FromFile(start)));
        int kills = 0;
        uint killed = 0;
        var reading = Task.Run(async () =>
        {
            await foreach (var ev in client.ReadEventsAsync(cts.Token))
            {
                Collect(ev, database, seen);
                // Drop the connection mid-transaction a few times, as a network failure would. Events already
                // buffered from a killed connection still arrive, so wait for the new connection before the next kill.
                if (ev is RowsEvent && seen.Count > (kills + 1) * 1500 && kills < 3 && client.ConnectionId != killed)
                {
                    kills++;
                    killed = client.ConnectionId;
                    await using var killer = await _db.OpenAsync();
                    await killer.ExecuteAsync($"KILL CONNECTION {killed}");
                }
                if (seen.Count >= Changes) break;
            }
        });
        var expected = await WriteMixedLoadAsync(connection, 4, Changes, seed: 11, batch: 20, pauseMs: 3);
        await reading;
        Assert.Equal(3, kills);
        Assert.True(client.ReconnectCount >= 3, $"reconnects: {client.ReconnectCount}");
        Assert.Equal(expected, seen);
        await _db.DropDatabaseAsync(database);
    }

    [Fact]
    public async Task A_new_client_resumes_from_a_saved_position_without_gaps_or_duplicates()
    {
        var (connection, database) = await CreateTablesAsync("saved", 3);
        await using var _ = connection;
        var start = await BinlogTestHelpers.CurrentPositionAsync(connection);
        var expected = await WriteMixedLoadAsync(connection, 3, 3000, seed: 5, batch: 30);
        var seen = new List<Change>();
        BinlogPosition saved;
        await using (var first = new BinlogClient(Options(BinlogStartPosition.FromFile(start))))
        {
            await foreach (var ev in first.ReadEventsAsync())
            {
                Collect(ev, database, seen);
                if (ev is XidEvent && seen.Count >= 1000) break;
            }
            saved = first.SafePosition!.Value;
        }
        await using (var second = new BinlogClient(Options(BinlogStartPosition.FromFile(saved)) with { StopAtEnd = true }))
        {
            await foreach (var ev in second.ReadEventsAsync()) Collect(ev, database, seen);
        }
        Assert.Equal(expected, seen);
        await _db.DropDatabaseAsync(database);
    }

    [Fact]
    public async Task Starts_from_a_mariadb_gtid_position()
    {
        var (connection, database) = await CreateTablesAsync("gtid", 1);
        await using var _ = connection;
        await connection.ExecuteAsync("INSERT INTO t0 (id, v) VALUES (1, 1)");
        string gtid = (string)(await connection.QueryScalarAsync("SELECT @@gtid_binlog_pos"))!;
        await connection.ExecuteAsync("INSERT INTO t0 (id, v) VALUES (2, 2)");
        await connection.ExecuteAsync("UPDATE t0 SET v = 3 WHERE id = 2");
        var seen = new List<Change>();
        var gtids = new List<MariaDbGtid>();
        await using var client = new BinlogClient(Options(BinlogStartPosition.FromMariaDbGtids(gtid)) with { StopAtEnd = true });
        await foreach (var ev in client.ReadEventsAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token))
        {
            Collect(ev, database, seen);
            if (ev is MariaDbGtidEvent g) gtids.Add(g.Gtid);
        }
        // Only what came after the start GTID, and the GTIDs follow on from it.
        Assert.Equal(new[] { new Change(0, RowChangeKind.Insert, 2), new Change(0, RowChangeKind.Update, 2) }, seen);
        var startGtid = MariaDbGtid.ParseList(gtid).Single(g => g.DomainId == 0);
        Assert.Equal(startGtid.Sequence + 1, gtids.First().Sequence);
        Assert.Equal(MariaDbGtid.FormatList(new[] { gtids.Last() }), client.MariaDbGtidPosition);
        await _db.DropDatabaseAsync(database);
    }

    [Fact]
    public async Task Heartbeats_arrive_while_the_binlog_is_idle()
    {
        await using var connection = await _db.OpenAsync();
        var start = await BinlogTestHelpers.CurrentPositionAsync(connection);
        // The binlog is shared with the other suites, which write to it all the time when the whole
        // solution is tested: a heartbeat needs a gap in everyone's writes, so the period is the
        // server's shortest (1 ms) rather than a realistic one, and the wait outlasts the other suites
        // (a steady stream of writes keeps the server from sending any heartbeat at all).
        await using var client = new BinlogClient(Options(BinlogStartPosition.FromFile(start)) with { HeartbeatInterval = TimeSpan.FromMilliseconds(1) });
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        HeartbeatEvent? heartbeat = null;
        await foreach (var ev in client.ReadEventsAsync(cts.Token))
        {
            if (ev is HeartbeatEvent h)
            {
                heartbeat = h;
                break;
            }
        }
        Assert.NotNull(heartbeat);
        Assert.StartsWith("mariadb-bin.", heartbeat!.FileName);
    }

    [Fact]
    public async Task Events_carry_positions_and_checksums_are_verified()
    {
        var (connection, database) = await CreateTablesAsync("pos", 1);
        await using var _ = connection;
        var start = await BinlogTestHelpers.CurrentPositionAsync(connection);
        await connection.ExecuteAsync("INSERT INTO t0 (id, v) VALUES (1, 1)");
        var end = await BinlogTestHelpers.CurrentPositionAsync(connection);
        var events = new List<BinlogEvent>();
        await using var client = new BinlogClient(Options(BinlogStartPosition.FromFile(start)) with { StopAtEnd = true });
        await foreach (var ev in client.ReadEventsAsync()) events.Add(ev);
        var real = events.Where(e => !e.Header.IsArtificial && e.Header.NextPosition != 0 && e is not FormatDescriptionEvent).ToList();
        Assert.Contains(real, e => e is TableMapEvent { Table: "t0" });
        // Positions strictly increase, one of them is where the server said the binlog ended after our
        // INSERT (other suites may write more to the shared binlog before the dump reaches its end),
        // and the client's safe position is the end of the last transaction it read.
        Assert.True(real.Zip(real.Skip(1)).All(p => p.First.Position.Position < p.Second.Position.Position));
        Assert.Contains(real, e => e.Position == end);
        Assert.Equal(real.Last().Position, client.SafePosition);
        Assert.Contains(events, e => e is FormatDescriptionEvent { ServerVersion: var v } && v.Contains("MariaDB"));
        await _db.DropDatabaseAsync(database);
    }
}
