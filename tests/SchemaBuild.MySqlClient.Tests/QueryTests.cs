using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace SchemaBuild.MySqlClient.Tests;

[Collection(MariaDbCollection.Name)]
public sealed class QueryTests
{
    private readonly MariaDbFixture _db;

    public QueryTests(MariaDbFixture db) => _db = db;

    [Fact]
    public async Task Multiple_result_sets_are_read_in_order()
    {
        await using var connection = await _db.OpenAsync();
        await using var reader = await connection.QueryAsync("SELECT 1 AS a; DO 0; SELECT 'x' AS b, 'y' AS c UNION ALL SELECT 'z', NULL");
        Assert.Equal("a", reader.GetName(0));
        Assert.True(await reader.ReadAsync());
        Assert.Equal(1L, reader.GetInt64(0));
        Assert.False(await reader.ReadAsync());
        Assert.True(await reader.NextResultAsync());
        Assert.Equal(0, reader.FieldCount);
        Assert.True(await reader.NextResultAsync());
        Assert.Equal(2, reader.FieldCount);
        var rows = new List<(string, string?)>();
        while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        Assert.Equal(new[] { ("x", (string?)"y"), ("z", null) }, rows);
        Assert.False(await reader.NextResultAsync());
    }

    [Fact]
    public async Task Execute_reports_affected_rows_and_insert_id()
    {
        var (connection, database) = await _db.OpenScratchAsync("exec");
        await using var _ = connection;
        await connection.ExecuteAsync("CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v INT)");
        Assert.Equal(3, await connection.ExecuteAsync("INSERT INTO t (v) VALUES (1), (2), (3)"));
        Assert.Equal(2, await connection.ExecuteAsync("UPDATE t SET v = v + 10 WHERE v >= 2"));
        await using (var reader = await connection.QueryAsync("INSERT INTO t (v) VALUES (4)"))
        {
            Assert.Equal(4UL, reader.LastInsertId);
        }
        Assert.Equal(4, await connection.ExecuteAsync("DELETE FROM t WHERE id = 1; DELETE FROM t"));
        await _db.DropDatabaseAsync(database);
    }

    [Fact]
    public async Task Streams_many_rows_and_disposing_early_keeps_the_connection_usable()
    {
        await using var connection = await _db.OpenAsync();
        long count = 0, sum = 0;
        await using (var reader = await connection.QueryAsync("SELECT seq FROM seq_1_to_50000"))
        {
            while (await reader.ReadAsync())
            {
                count++;
                sum += reader.GetInt64(0);
            }
        }
        Assert.Equal(50000, count);
        Assert.Equal(50000L * 50001 / 2, sum);
        await using (var reader = await connection.QueryAsync("SELECT seq FROM seq_1_to_100000"))
        {
            Assert.True(await reader.ReadAsync());
        }
        Assert.Equal(7L, Convert.ToInt64(await connection.QueryScalarAsync("SELECT 7")));
    }

    [Fact]
    public async Task Large_values_grow_the_read_buffer()
    {
        await using var connection = await _db.OpenAsync();
        // The server's max_allowed_packet (16 MiB) bounds a single value; this one is larger than the read buffer.
        var value = (string?)await connection.QueryScalarAsync("SELECT REPEAT('ab', 4000000)");
        Assert.Equal(8_000_000, value!.Length);
        Assert.True(value.All(c => c is 'a' or 'b'));
        await using var statement = await connection.PrepareAsync("SELECT LENGTH(?), ?");
        byte[] big = Enumerable.Range(0, 10_000_000).Select(i => (byte)i).ToArray();
        await using var reader = await statement.QueryAsync(new object?[] { big, "small" });
        Assert.True(await reader.ReadAsync());
        Assert.Equal(10_000_000L, reader.GetInt64(0));
        Assert.Equal("small", reader.GetString(1));
    }

    [Fact]
    public async Task Unicode_text_round_trips()
    {
        await using var connection = await _db.OpenAsync();
        Assert.Equal("Grüße, 世界 🚀", await connection.QueryScalarAsync("SELECT 'Grüße, 世界 🚀'"));
        Assert.Equal("café", await connection.QueryScalarAsync("SELECT CONVERT('café' USING latin1)"));
    }

    [Fact]
    public async Task A_second_command_while_a_reader_is_open_is_rejected()
    {
        await using var connection = await _db.OpenAsync();
        await using (var reader = await connection.QueryAsync("SELECT 1"))
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => connection.QueryAsync("SELECT 2"));
        }
        Assert.Equal(2L, Convert.ToInt64(await connection.QueryScalarAsync("SELECT 2")));
    }

    [Fact]
    public async Task Null_values_are_null()
    {
        await using var connection = await _db.OpenAsync();
        await using var reader = await connection.QueryAsync("SELECT NULL, CAST(NULL AS SIGNED), 1");
        Assert.True(await reader.ReadAsync());
        Assert.True(reader.IsDBNull(0));
        Assert.Null(reader.GetValue(1));
        Assert.False(reader.IsDBNull(2));
    }

    [Fact]
    public async Task Column_metadata_is_exposed()
    {
        var (connection, database) = await _db.OpenScratchAsync("meta");
        await using var _ = connection;
        await connection.ExecuteAsync("CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, name VARCHAR(10))");
        await using var reader = await connection.QueryAsync("SELECT id, name AS label FROM t");
        Assert.Equal(MySqlColumnType.LongLong, reader.Columns[0].Type);
        Assert.True(reader.Columns[0].IsUnsigned);
        Assert.True(reader.Columns[0].Flags.HasFlag(MySqlColumnFlags.PrimaryKey));
        Assert.Equal("label", reader.Columns[1].Name);
        Assert.Equal("t", reader.Columns[1].Table);
        Assert.Equal(database, reader.Columns[1].Database);
        Assert.Equal(1, reader.GetOrdinal("LABEL"));
        Assert.False(await reader.ReadAsync());
        await _db.DropDatabaseAsync(database);
    }
}
