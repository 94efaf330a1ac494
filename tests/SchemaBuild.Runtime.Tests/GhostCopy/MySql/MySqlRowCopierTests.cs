using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Engines.MySql;
using SchemaBuild.Runtime.Engines.MySql.Online;
using SchemaBuild.Runtime.Online.Roles;
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
        // The chunk's statement is seen running (INNODB_TRX does not always list an autocommit statement's lock wait);
        // it cannot end before the blocker rolls back.
        while ((await session.QueryAsync(
                   "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND INFO LIKE 'INSERT IGNORE INTO%'", null, CancellationToken.None))[0][0] is var n
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

    /// <summary>
    /// Changes skipped above the watermark used to be held in memory until a chunk reached their keys: a long throttle
    /// pause on a hot table collected any number of keys for one <c>IN (…)</c>. Beyond the cap the copier waits for
    /// their writers at once, a bounded batch of keys per statement, and forgets each batch once waited for.
    /// </summary>
    [Fact]
    public async Task Skipped_keys_beyond_the_cap_are_waited_for_at_once_batch_by_batch()
    {
        const string Baseline = "CREATE TABLE items (id INT NOT NULL PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB;\n";
        await using var prepared = await PreparedMySqlCopy.CreateAsync(
            "my_copy_skipcap", Baseline, Baseline.Replace("n INT", "n BIGINT", StringComparison.Ordinal), "INSERT INTO items SELECT seq, seq * 10 FROM seq_1_to_50000");
        var (database, session) = (prepared.Database, prepared.Session);
        var copier = (MySqlRowCopier)prepared.Engine.CreateCopier(prepared.Table);
        copier.MaxSkippedKeys = 2500;
        static RowKey[] Keys(int from, int to) => Enumerable.Range(from, to - from + 1).Select(i => new RowKey(new object?[] { i })).ToArray();

        // An application transaction in the binlog's place: it holds row 1500 (in the second batch of keys) uncommitted.
        await using var writer = (MySqlSession)await database.OpenAsync();
        await writer.ExecuteAsync("START TRANSACTION", null, CancellationToken.None);
        await writer.ExecuteAsync("UPDATE items SET n = -1 WHERE id = 1500", null, CancellationToken.None);

        // Up to the cap the keys are only held: no statement runs, so nothing waits for the locked row.
        await copier.SkippedAsync(Keys(1, 2500), CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(2500, copier.SkippedCount);

        // One more key: the copier waits for the writers now, batch by batch; the first batch is waited for and forgotten.
        var waiting = copier.SkippedAsync(Keys(2501, 2501), CancellationToken.None);
        // The first batch (keys 1..1000) is waited for and forgotten; the second holds the writer's row and waits.
        // (Seen from the copier's own count: INNODB_TRX was seen not to list this autocommit locking read while it waited.)
        var watch = Stopwatch.StartNew();
        while (copier.SkippedCount > 1501)
        {
            Assert.False(waiting.IsCompleted, $"the copier held more skipped keys than its cap without waiting for their writers ({copier.SkippedCount} held; {waiting.Exception?.InnerException?.Message})");
            Assert.True(watch.Elapsed < TimeSpan.FromMinutes(1), $"the copier never forgot the first batch of keys ({copier.SkippedCount} held)");
            await Task.Delay(20);
        }

        // Without the writer's lock the second batch would end in milliseconds; it waits as long as the writer holds row 1500.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(waiting.IsCompleted, $"the copier did not wait for the writer of a skipped key ({waiting.Exception?.InnerException?.Message})");
        Assert.Equal(1501, copier.SkippedCount);

        await writer.ExecuteAsync("COMMIT", null, CancellationToken.None);
        await waiting.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(0, copier.SkippedCount);
    }

    /// <summary>
    /// A chunk's warnings are read only when it has some (no round trip otherwise), and all of them: a value the new
    /// definition cannot hold refuses the copy even after more duplicate-key warnings than the server keeps.
    /// </summary>
    [Fact]
    public async Task A_value_the_new_type_cannot_hold_refuses_the_copy_after_any_number_of_duplicates()
    {
        const string Baseline = "CREATE TABLE items (id INT NOT NULL PRIMARY KEY, n BIGINT NOT NULL) ENGINE=InnoDB;\n";
        await using var prepared = await PreparedMySqlCopy.CreateAsync(
            "my_copy_warn", Baseline, Baseline.Replace("n BIGINT", "n INT", StringComparison.Ordinal), "INSERT INTO items SELECT seq, IF(seq = 190, 10000000000, seq) FROM seq_1_to_200");
        var session = prepared.Session;

        // Rows 1..150 are in the shadow already (as after a resume): 150 duplicate-key warnings come before row 190's,
        // more than the 64 the server keeps (max_error_count).
        await session.ExecuteAsync($"INSERT INTO {prepared.Shadow} (id, n) SELECT id, n FROM items WHERE id <= 150", null, CancellationToken.None);
        var copier = prepared.Engine.CreateCopier(prepared.Table);
        var refused = await Assert.ThrowsAsync<GhostCopyRefusedException>(() => copier.CopyNextAsync(null, 200, CancellationToken.None));
        Assert.Contains("would change data", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Out of range", refused.Message, StringComparison.Ordinal);
    }
}
