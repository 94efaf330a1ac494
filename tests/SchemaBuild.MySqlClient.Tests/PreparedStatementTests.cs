using System;
using System.Threading.Tasks;
using Xunit;

namespace SchemaBuild.MySqlClient.Tests;

[Collection(MariaDbCollection.Name)]
public sealed class PreparedStatementTests
{
    private readonly MariaDbFixture _db;

    public PreparedStatementTests(MariaDbFixture db) => _db = db;

    [Fact]
    public async Task Parameters_are_values_not_sql()
    {
        var (connection, database) = await _db.OpenScratchAsync("prep");
        await using var _ = connection;
        await connection.ExecuteAsync("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(100))");
        await using var insert = await connection.PrepareAsync("INSERT INTO t VALUES (?, ?)");
        Assert.Equal(2, insert.ParameterCount);
        string hostile = "x'); DROP TABLE t; -- \\ \" `";
        await insert.ExecuteAsync(new object?[] { 1, hostile });
        await insert.ExecuteAsync(new object?[] { 2, null });
        await using var select = await connection.PrepareAsync("SELECT name FROM t WHERE id = ?");
        await using (var reader = await select.QueryAsync(new object?[] { 1 }))
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal(hostile, reader.GetString(0));
        }
        await using (var reader = await select.QueryAsync(new object?[] { 2 }))
        {
            Assert.True(await reader.ReadAsync());
            Assert.True(reader.IsDBNull(0));
        }
        Assert.Equal(2L, Convert.ToInt64(await connection.QueryScalarAsync("SELECT COUNT(*) FROM t")));
        await _db.DropDatabaseAsync(database);
    }

    [Fact]
    public async Task Statement_is_reusable_many_times()
    {
        await using var connection = await _db.OpenAsync();
        await using var statement = await connection.PrepareAsync("SELECT ? * 2");
        for (int i = 0; i < 200; i++)
        {
            await using var reader = await statement.QueryAsync(new object?[] { (long)i });
            Assert.True(await reader.ReadAsync());
            Assert.Equal(i * 2L, reader.GetInt64(0));
        }
    }

    [Fact]
    public async Task Wrong_parameter_count_is_rejected_client_side()
    {
        await using var connection = await _db.OpenAsync();
        await using var statement = await connection.PrepareAsync("SELECT ?, ?");
        await Assert.ThrowsAsync<ArgumentException>(() => statement.QueryAsync(new object?[] { 1 }));
        Assert.Equal(1L, Convert.ToInt64(await connection.QueryScalarAsync("SELECT 1")));
    }

    [Fact]
    public async Task Typed_parameters_arrive_with_their_types()
    {
        await using var connection = await _db.OpenAsync();
        await using var statement = await connection.PrepareAsync("SELECT ?, ?, ?, ?, ?, ?, ?");
        var when = new DateTime(2023, 4, 5, 6, 7, 8).AddTicks(1234560);
        await using var reader = await statement.QueryAsync(new object?[] { true, 2.5, 12.345m, when, new TimeSpan(-1, 0, 0), new DateOnly(2020, 1, 2), Guid.Empty });
        Assert.True(await reader.ReadAsync());
        Assert.Equal(1L, reader.GetInt64(0));
        Assert.Equal(2.5, reader.GetDouble(1));
        Assert.Equal(12.345m, reader.GetDecimal(2));
        Assert.Equal(when, reader.GetDateTime(3));
        Assert.Equal(new TimeSpan(-1, 0, 0), reader.GetTimeSpan(4));
        Assert.Equal(new DateTime(2020, 1, 2), reader.GetDateTime(5));
        Assert.Equal(Guid.Empty.ToString(), reader.GetString(6));
    }

    [Fact]
    public async Task Unsupported_parameter_type_is_rejected()
    {
        await using var connection = await _db.OpenAsync();
        await using var statement = await connection.PrepareAsync("SELECT ?");
        await Assert.ThrowsAsync<NotSupportedException>(() => statement.QueryAsync(new object?[] { new object() }));
        Assert.Equal(1L, Convert.ToInt64(await connection.QueryScalarAsync("SELECT 1")));
    }
}
