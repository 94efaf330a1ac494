using System;
using System.Threading.Tasks;
using Xunit;

namespace SchemaBuild.MySqlClient.Tests;

[Collection(MariaDbCollection.Name)]
public sealed class ErrorMappingTests
{
    private readonly MariaDbFixture _db;

    public ErrorMappingTests(MariaDbFixture db) => _db = db;

    [Theory]
    [InlineData("SELEC 1", 1064, "42000")]
    [InlineData("SELECT * FROM no_such_table_here", 1146, "42S02")]
    [InlineData("SELECT no_such_column FROM DUAL", 1054, "42S22")]
    [InlineData("SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'custom failure', MYSQL_ERRNO = 1644", 1644, "45000")]
    public async Task Server_errors_carry_code_state_and_message(string sql, int code, string state)
    {
        await using var connection = await _db.OpenAsync();
        var e = await Assert.ThrowsAsync<MySqlException>(() => connection.ExecuteAsync(sql));
        Assert.Equal(code, e.ErrorCode);
        Assert.Equal(state, e.SqlState);
        Assert.False(string.IsNullOrEmpty(e.ServerMessage));
        Assert.Equal(1L, Convert.ToInt64(await connection.QueryScalarAsync("SELECT 1")));
    }

    [Fact]
    public async Task Duplicate_key_maps_to_23000()
    {
        var (connection, database) = await _db.OpenScratchAsync("dup");
        await using var _ = connection;
        await connection.ExecuteAsync("CREATE TABLE t (id INT PRIMARY KEY)");
        await connection.ExecuteAsync("INSERT INTO t VALUES (1)");
        var e = await Assert.ThrowsAsync<MySqlException>(() => connection.ExecuteAsync("INSERT INTO t VALUES (1)"));
        Assert.Equal(1062, e.ErrorCode);
        Assert.Equal("23000", e.SqlState);
        await _db.DropDatabaseAsync(database);
    }

    [Fact]
    public async Task Error_in_a_later_statement_surfaces_after_earlier_results()
    {
        await using var connection = await _db.OpenAsync();
        await using var reader = await connection.QueryAsync("SELECT 1; SELECT * FROM missing_table_xyz; SELECT 3");
        Assert.True(await reader.ReadAsync());
        var e = await Assert.ThrowsAsync<MySqlException>(async () => await reader.NextResultAsync());
        Assert.Equal(1146, e.ErrorCode);
        await reader.DisposeAsync();
        Assert.Equal(5L, Convert.ToInt64(await connection.QueryScalarAsync("SELECT 5")));
    }

    [Fact]
    public async Task Prepare_error_maps_and_connection_survives()
    {
        await using var connection = await _db.OpenAsync();
        var e = await Assert.ThrowsAsync<MySqlException>(() => connection.PrepareAsync("SELECT FROM WHERE ?"));
        Assert.Equal(1064, e.ErrorCode);
        Assert.Equal(1L, Convert.ToInt64(await connection.QueryScalarAsync("SELECT 1")));
    }
}
