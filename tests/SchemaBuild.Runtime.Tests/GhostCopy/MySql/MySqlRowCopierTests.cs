using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Engines.MySql;
using Xunit;

namespace SchemaBuild.Runtime.Tests.GhostCopy.MySql;

/// <summary>
/// A chunk read the original with <c>LOCK IN SHARE MODE</c>: an application write to a row of the chunk
/// being copied waited until the whole chunk committed, which was most of the writers' p99 during the
/// copy. The chunk now reads a snapshot (READ COMMITTED) and locks none of the original's rows.
/// </summary>
public sealed class MySqlRowCopierTests
{
    [Fact]
    public async Task A_write_to_a_row_of_the_chunk_being_copied_does_not_wait_for_the_chunk()
    {
        const string Baseline = "CREATE TABLE items (id INT NOT NULL PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB;\n";
        await using var prepared = await PreparedMySqlCopy.CreateAsync(
            "my_copy_nolock", Baseline, Baseline.Replace("n INT", "n BIGINT", StringComparison.Ordinal), "INSERT INTO items SELECT seq, seq * 10 FROM seq_1_to_100");
        var (database, session) = (prepared.Database, prepared.Session);

        // Holds the chunk half way: an uncommitted shadow row at key 50 makes the chunk's insert wait there,
        // after it read keys 1..49 of the original.
        await using var blocker = (MySqlSession)await database.OpenAsync();
        await blocker.ExecuteAsync("START TRANSACTION", null, CancellationToken.None);
        await blocker.ExecuteAsync($"INSERT INTO {prepared.Shadow} (id, n) VALUES (50, 500)", null, CancellationToken.None);
        var copying = prepared.Engine.CreateCopier(prepared.Table).CopyNextAsync(null, 100, CancellationToken.None);
        var waiting = Stopwatch.StartNew();
        while ((await session.QueryAsync(
                   "SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT' AND trx_query LIKE 'INSERT IGNORE INTO%' "
                   + "AND trx_mysql_thread_id IN (SELECT ID FROM information_schema.PROCESSLIST WHERE DB = DATABASE())", null, CancellationToken.None))[0][0] is var n
               && Convert.ToInt64(n) == 0)
        {
            Assert.False(copying.IsCompleted, "the chunk finished although a shadow row of it was locked");
            Assert.True(waiting.Elapsed < TimeSpan.FromMinutes(1), "the chunk was never seen waiting for the locked shadow row");
            await Task.Delay(20);
        }

        // An application write to a row the chunk already read goes through at once (it waited for the chunk before).
        await using var application = (MySqlSession)await database.OpenAsync();
        await application.ExecuteAsync("SET SESSION innodb_lock_wait_timeout = 5", null, CancellationToken.None);
        Assert.Equal(1L, await application.ExecuteAsync("UPDATE items SET n = -1 WHERE id = 10", null, CancellationToken.None));
        Assert.False(copying.IsCompleted);

        await blocker.ExecuteAsync("ROLLBACK", null, CancellationToken.None);
        var chunk = await copying;
        Assert.Equal(100L, chunk!.Rows);
        Assert.Equal(100L, Convert.ToInt64((await session.QueryAsync($"SELECT COUNT(*) FROM {prepared.Shadow}", null, CancellationToken.None))[0][0]));
    }
}
