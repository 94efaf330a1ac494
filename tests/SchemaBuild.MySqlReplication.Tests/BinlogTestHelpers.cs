using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.MySqlReplication.Binlog;
using Xunit;

namespace SchemaBuild.MySqlReplication.Tests;

internal static class BinlogTestHelpers
{
    private static int _serverId = 1000 + (System.Environment.ProcessId % 1000) * 100;

    /// <summary>Each replica connection needs its own server id, or the server drops the older one.</summary>
    public static uint NextServerId() => (uint)Interlocked.Increment(ref _serverId);

    public static async Task<BinlogPosition> CurrentPositionAsync(MySqlConnector.MySqlConnection connection)
    {
        await using var command = new MySqlConnector.MySqlCommand("SHOW MASTER STATUS", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "binary logging must be enabled");
        return new BinlogPosition(reader.GetString(0), (ulong)reader.GetInt64(1));
    }
}
