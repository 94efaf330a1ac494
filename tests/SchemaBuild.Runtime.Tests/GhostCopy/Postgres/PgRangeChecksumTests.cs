using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Engines.Postgres;
using SchemaBuild.Runtime.Engines.Postgres.Online;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Online.Roles;
using Xunit;

namespace SchemaBuild.Runtime.Tests.GhostCopy.Postgres;

/// <summary>
/// A checksum range that differed is compared again after the stream is drained. Delimited by a
/// count of rows, a row deleted inside it moved the range's end, so the retry compared other rows
/// and fell to the locked compare; the retry now compares the same closed key range.
/// </summary>
public sealed class PgRangeChecksumTests
{
    private const string Baseline = "CREATE TABLE items (id integer PRIMARY KEY, n integer NOT NULL);\n";

    private const string Desired = "CREATE TABLE items (id integer PRIMARY KEY, n bigint NOT NULL);\n";

    [Fact]
    public async Task A_retry_compares_the_same_key_range_after_a_row_inside_it_is_deleted()
    {
        await using var prepared = await PreparedPgCopy.CreateAsync("pg_cksum_range", Baseline, Desired, "INSERT INTO items SELECT g, g * 10 FROM generate_series(1, 12) g;");
        var (database, engine, table) = (prepared.Database, prepared.Engine, prepared.Table);
        var copier = engine.CreateCopier(table);
        var checksum = engine.CreateChecksum(table);

        // Ranges follow the key's order, not its text's ("10" < "2"): the first range of 100 takes all 12 rows.
        var copied = await copier.CopyNextAsync(null, 100, CancellationToken.None);
        Assert.Equal(12L, copied!.Rows);
        Assert.Equal("12", PgRangeCopier.Text(copied.Last.Values[0]));

        var first = await checksum.CompareNextAsync(null, 5, CancellationToken.None);
        Assert.NotNull(first);
        Assert.True(first.Matches);
        Assert.Equal("5", PgRangeCopier.Text(first.Last.Values[0]));

        // Row 3 deleted on both sides (the stream brought the delete) and row 6, beyond the range, differs
        // in the shadow: five rows after the start now reach to key 6, the closed range (…, 5] does not.
        await database.RunAsync($"DELETE FROM items WHERE id = 3; DELETE FROM {table.Shadow} WHERE id = 3; UPDATE {table.Shadow} SET n = -1 WHERE id = 6;");
        Assert.False((await checksum.CompareNextAsync(null, 5, CancellationToken.None))!.Matches);
        Assert.True(await checksum.CompareAgainAsync(null, first.Last, CancellationToken.None));
        Assert.False(await checksum.CompareAgainAsync(first.Last, new RowKey(new object?[] { "12" }), CancellationToken.None));

        // A difference inside the range is still found by the retry.
        await database.RunAsync($"UPDATE {table.Shadow} SET n = -1 WHERE id = 4;");
        Assert.False(await checksum.CompareAgainAsync(null, first.Last, CancellationToken.None));
    }

    /// <summary>
    /// Rows are hashed as records where every column type has an extended hash function; a table with a json column
    /// (none) falls back to hashing the row's text, and both find a difference in a column of any type.
    /// </summary>
    [Theory]
    [InlineData("note text", "'note ' || g", "note = 'changed'", true)]
    [InlineData("doc json", "json_build_object('g', g)", "doc = '{\"g\": 0}'", false)]
    [InlineData("at point", "point(g, g)", "at = point(0, 0)", false)]
    public async Task Rows_are_hashed_as_records_where_the_server_can_and_as_text_otherwise(string column, string value, string change, bool records)
    {
        var baseline = Baseline.Replace(");", ", " + column + ");", StringComparison.Ordinal);
        await using var prepared = await PreparedPgCopy.CreateAsync("pg_cksum_hash", baseline, baseline.Replace("n integer", "n bigint", StringComparison.Ordinal), $"INSERT INTO items SELECT g, g, {value} FROM generate_series(1, 20) g;");
        var (database, engine, table) = (prepared.Database, prepared.Engine, prepared.Table);
        Assert.Equal(records, prepared.Prepared.HashesRecords);
        await engine.CreateCopier(table).CopyNextAsync(null, 100, CancellationToken.None);
        var checksum = engine.CreateChecksum(table);
        Assert.True((await checksum.CompareNextAsync(null, 100, CancellationToken.None))!.Matches);

        await database.RunAsync($"UPDATE {table.Shadow} SET {change} WHERE id = 7;");
        Assert.False((await checksum.CompareNextAsync(null, 100, CancellationToken.None))!.Matches);
    }

    /// <summary>
    /// The whole checksum reads one snapshot taken with writers blocked only while the stream drains:
    /// writes committed after it neither block on the compares nor make a chunk differ, and a real
    /// difference in the shadow is still found in it.
    /// </summary>
    [Fact]
    public async Task The_snapshot_blocks_writers_only_while_it_is_taken_and_still_finds_a_real_difference()
    {
        await using var prepared = await PreparedPgCopy.CreateAsync("pg_cksum_snap", Baseline, Desired, "INSERT INTO items SELECT g, g * 10 FROM generate_series(1, 30) g;");
        var (database, engine, table) = (prepared.Database, prepared.Engine, prepared.Table);
        Assert.Equal(30L, (await engine.CreateCopier(table).CopyNextAsync(null, 100, CancellationToken.None))!.Rows);
        var checksum = engine.CreateChecksum(table);
        var snapshot = Assert.IsAssignableFrom<ISnapshotChecksum>(checksum);

        // The drain runs with writers blocked: a write with a short lock wait gives up. What the drain applies
        // (here: row 7 of the shadow put right) is in the snapshot.
        await database.RunAsync($"UPDATE {table.Shadow} SET n = -1 WHERE id = 7;");
        var drained = false;
        Assert.True(await snapshot.BeginSnapshotAsync(TimeSpan.FromSeconds(5), async (_, ct) =>
        {
            var blocked = await Assert.ThrowsAnyAsync<Exception>(() => database.RunAsync("SET lock_timeout = '200ms'; UPDATE items SET n = 0 WHERE id = 1;"));
            Assert.Contains("55P03", Chain(blocked));
            await database.RunAsync($"UPDATE {table.Shadow} SET n = 70 WHERE id = 7;");
            drained = true;
        }, CancellationToken.None));
        Assert.True(drained);

        // Writers go on while the snapshot is open, and what they commit (not in the shadow yet) makes no chunk differ in it.
        await database.RunAsync("SET lock_timeout = '2s'; UPDATE items SET n = 0 WHERE id BETWEEN 1 AND 20; DELETE FROM items WHERE id = 25; INSERT INTO items VALUES (31, 310);");
        var first = await checksum.CompareNextAsync(null, 20, CancellationToken.None);
        Assert.True(first!.Matches);
        Assert.Equal("20", PgRangeCopier.Text(first.Last.Values[0]));
        var second = await checksum.CompareNextAsync(first.Last, 20, CancellationToken.None);
        Assert.True(second!.Matches);
        Assert.Equal("30", PgRangeCopier.Text(second.Last.Values[0]));
        Assert.Null(await checksum.CompareNextAsync(second.Last, 20, CancellationToken.None));
        await database.RunAsync("SET lock_timeout = '2s'; UPDATE items SET n = 1 WHERE id = 2;");
        await snapshot.EndSnapshotAsync(CancellationToken.None);

        // Outside the snapshot the same range differs (the writes are not in the shadow)...
        Assert.False(await checksum.CompareAgainAsync(null, first.Last, CancellationToken.None));

        // ...and a real difference committed before the snapshot is found in it.
        await database.RunAsync($"DELETE FROM {table.Shadow}; INSERT INTO {table.Shadow} SELECT id, n FROM items; UPDATE {table.Shadow} SET n = -5 WHERE id = 12;");
        Assert.True(await snapshot.BeginSnapshotAsync(TimeSpan.FromSeconds(5), (_, _) => Task.CompletedTask, CancellationToken.None));
        Assert.False((await checksum.CompareNextAsync(null, 20, CancellationToken.None))!.Matches);
        Assert.True((await checksum.CompareNextAsync(new RowKey(new object?[] { "20" }), 20, CancellationToken.None))!.Matches);
        await snapshot.EndSnapshotAsync(CancellationToken.None);
    }

    /// <summary>
    /// In the snapshot the original's side of the next range is read ahead while the shadow's side of the
    /// current one is summed: the ranges still follow a composite key's order to its end, a difference lands
    /// in its own range, and ending the snapshot with a read-ahead in flight leaves both sessions usable.
    /// </summary>
    [Fact]
    public async Task Snapshot_ranges_read_ahead_along_a_composite_key_and_end_cleanly_midway()
    {
        const string baseline = "CREATE TABLE items (a integer NOT NULL, b text NOT NULL, n integer NOT NULL, PRIMARY KEY (a, b));\n";
        const string desired = "CREATE TABLE items (a integer NOT NULL, b text NOT NULL, n bigint NOT NULL, PRIMARY KEY (a, b));\n";
        await using var prepared = await PreparedPgCopy.CreateAsync("pg_cksum_ahead", baseline, desired, "INSERT INTO items SELECT g / 3, 'k' || (g % 3), g FROM generate_series(1, 20) g;");
        var (database, engine, table) = (prepared.Database, prepared.Engine, prepared.Table);
        Assert.Equal(20L, (await engine.CreateCopier(table).CopyNextAsync(null, 100, CancellationToken.None))!.Rows);
        await database.RunAsync($"UPDATE {table.Shadow} SET n = -1 WHERE a = 3 AND b = 'k2';");
        var checksum = engine.CreateChecksum(table);
        var snapshot = (ISnapshotChecksum)checksum;

        Assert.True(await snapshot.BeginSnapshotAsync(TimeSpan.FromSeconds(5), (_, _) => Task.CompletedTask, CancellationToken.None));
        var ends = new System.Collections.Generic.List<string>();
        var matches = new System.Collections.Generic.List<bool>();
        RowKey? after = null;
        while (await checksum.CompareNextAsync(after, 4, CancellationToken.None) is { } chunk)
        {
            ends.Add(string.Join("/", chunk.Last.Values.Select(PgRangeCopier.Text)));
            matches.Add(chunk.Matches);
            after = chunk.Last;
        }

        // (0,k1) (0,k2) (1,k0) (1,k1) | (1,k2) (2,k0) (2,k1) (2,k2) | (3,k0) (3,k1) (3,k2) (4,k0) | … | (6,k0) (6,k1) (6,k2)
        Assert.Equal(new[] { "1/k1", "2/k2", "4/k0", "5/k1", "6/k2" }, ends);
        Assert.Equal(new[] { true, true, false, true, true }, matches);

        // Ended after one range, with the next one's original side read ahead: both sessions take the next compare.
        await snapshot.EndSnapshotAsync(CancellationToken.None);
        Assert.True(await snapshot.BeginSnapshotAsync(TimeSpan.FromSeconds(5), (_, _) => Task.CompletedTask, CancellationToken.None));
        Assert.True((await checksum.CompareNextAsync(null, 4, CancellationToken.None))!.Matches);
        await snapshot.EndSnapshotAsync(CancellationToken.None);
        Assert.False(await checksum.CompareAgainAsync(new RowKey(new object?[] { "2", "k2" }), new RowKey(new object?[] { "4", "k0" }), CancellationToken.None));
        Assert.True(await checksum.CompareAgainAsync(null, new RowKey(new object?[] { "2", "k2" }), CancellationToken.None));
    }

    /// <summary>A lock held by someone else past the lock wait: no snapshot (the caller compares chunk by chunk), and nothing is left open.</summary>
    [Fact]
    public async Task No_snapshot_when_the_lock_is_not_granted_within_the_wait()
    {
        await using var prepared = await PreparedPgCopy.CreateAsync("pg_cksum_nolock", Baseline, Desired, "INSERT INTO items SELECT g, g FROM generate_series(1, 5) g;");
        var (database, engine, table) = (prepared.Database, prepared.Engine, prepared.Table);
        await engine.CreateCopier(table).CopyNextAsync(null, 100, CancellationToken.None);
        var checksum = engine.CreateChecksum(table);

        await using var holder = new Npgsql.NpgsqlConnection(PostgresSession.ConnectionString(database.Url, TimeSpan.FromMinutes(1)));
        await holder.OpenAsync();
        await using (var hold = await holder.BeginTransactionAsync())
        {
            await using (var command = new Npgsql.NpgsqlCommand("UPDATE items SET n = 0 WHERE id = 1", holder, hold))
            {
                await command.ExecuteNonQueryAsync();
            }

            Assert.False(await ((ISnapshotChecksum)checksum).BeginSnapshotAsync(TimeSpan.FromMilliseconds(200), (_, _) => throw new InvalidOperationException("no drain without the lock"), CancellationToken.None));
            await hold.RollbackAsync();
        }

        Assert.True((await checksum.CompareNextAsync(null, 10, CancellationToken.None))!.Matches);
    }

    private static string Chain(Exception? ex)
    {
        var states = new System.Collections.Generic.List<string>();
        for (; ex is not null; ex = ex.InnerException)
        {
            states.Add(ex is Npgsql.PostgresException p ? p.SqlState : ex.GetType().Name);
        }

        return string.Join(" ", states);
    }
}
