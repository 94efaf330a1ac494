using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.MySqlReplication.Binlog;
using Xunit;

namespace SchemaBuild.MySqlReplication.Tests;

[Collection(MariaDbCollection.Name)]
public sealed class BinlogSmokeTests
{
    private readonly MariaDbFixture _db;

    public BinlogSmokeTests(MariaDbFixture db) => _db = db;

    [Fact]
    public async Task Streams_insert_update_delete_from_a_file_position()
    {
        var (connection, database) = await _db.OpenScratchAsync("binlog_smoke");
        await using var _ = connection;
        var start = await BinlogTestHelpers.CurrentPositionAsync(connection);
        await connection.ExecuteAsync("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20))");
        await connection.ExecuteAsync("INSERT INTO t VALUES (1, 'one'), (2, 'two')");
        await connection.ExecuteAsync("UPDATE t SET name = 'uno' WHERE id = 1");
        await connection.ExecuteAsync("DELETE FROM t WHERE id = 2");
        await using var client = new BinlogClient(new BinlogClientOptions(_db.Options, BinlogStartPosition.FromFile(start)) { StopAtEnd = true, ServerId = BinlogTestHelpers.NextServerId() });
        var rows = new List<RowsEvent>();
        var all = new List<BinlogEvent>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var ev in client.ReadEventsAsync(cts.Token))
        {
            all.Add(ev);
            if (ev is RowsEvent r && r.Table.Database == database) rows.Add(r);
        }
        Assert.Equal(3, rows.Count);
        Assert.Equal(RowChangeKind.Insert, rows[0].Kind);
        Assert.Equal(2, rows[0].Rows.Count);
        Assert.Equal(new object?[] { 1, "one" }, rows[0].Rows[0].After);
        Assert.Equal(RowChangeKind.Update, rows[1].Kind);
        Assert.Equal(new object?[] { 1, "one" }, rows[1].Rows[0].Before);
        Assert.Equal(new object?[] { 1, "uno" }, rows[1].Rows[0].After);
        Assert.Equal(RowChangeKind.Delete, rows[2].Kind);
        Assert.Equal(new object?[] { 2, "two" }, rows[2].Rows[0].Before);
        Assert.Equal("name", rows[0].Table.Columns[1].Name);
        Assert.Contains(all, e => e is MariaDbGtidEvent);
        Assert.Contains(all, e => e is XidEvent);
        Assert.Contains(all, e => e is QueryEvent q && q.Sql.Contains("CREATE TABLE"));
        await _db.DropDatabaseAsync(database);
    }
}
