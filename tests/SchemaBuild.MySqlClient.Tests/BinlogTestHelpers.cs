using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.MySqlClient.Binlog;
using Xunit;

namespace SchemaBuild.MySqlClient.Tests;

internal static class BinlogTestHelpers
{
    private static int _serverId = 1000 + (System.Environment.ProcessId % 1000) * 100;

    /// <summary>Each replica connection needs its own server id, or the server drops the older one.</summary>
    public static uint NextServerId() => (uint)Interlocked.Increment(ref _serverId);

    public static async Task<BinlogPosition> CurrentPositionAsync(MySqlConnection connection)
    {
        await using var reader = await connection.QueryAsync("SHOW MASTER STATUS");
        Assert.True(await reader.ReadAsync(), "binary logging must be enabled");
        return new BinlogPosition(reader.GetString(0), (ulong)reader.GetInt64(1));
    }
}
