using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Engines.MySql;
using SchemaBuild.Runtime.Engines.MySql.Online;
using SchemaBuild.Runtime.Online.Roles;
using Xunit;

namespace SchemaBuild.Runtime.Tests.GhostCopy.MySql;

/// <summary>
/// A chunk over a one-column integer key ends by arithmetic (no query walking the chunk's rows to find its
/// end): the copy must still reach every row, whatever the gaps, signs and range of the keys, and rows
/// inserted above the largest key while it runs. Other keys find the end on the server as before.
/// </summary>
public sealed class MySqlChunkEndsTests
{
    [Fact]
    public async Task An_integer_key_with_gaps_and_negative_values_is_copied_whole_with_rows_added_above_its_end_meanwhile()
    {
        // Keys -500..-1 step 1, then 2..2000 step 2 (gaps of 1), then 2003..2102 step 3: three densities, about 1.7 key values per row.
        await using var prepared = await PrepareAsync(
            "my_ends_int", "id INT",
            "INSERT INTO items SELECT -seq, seq FROM seq_1_to_500; INSERT INTO items SELECT seq * 2, seq FROM seq_1_to_1000; "
            + "INSERT INTO items SELECT 2000 + seq * 3, seq FROM seq_1_to_34; ANALYZE TABLE items");
        var chunks = await CopyAllAsync(prepared, 200, async count =>
        {
            if (count == 1)
            {
                // Above the largest key read when the copy started: the chunk reaching that key reads it again.
                await prepared.Session.ExecuteAsync("INSERT INTO items VALUES (6000000, 8), (6000001, 9)", null, CancellationToken.None);
            }
        });
        var ends = chunks.ConvertAll(c => c.Last);

        Assert.True(ends.Count > 1, $"expected several chunks, got {ends.Count}");
        Assert.Equal(6000001L, Convert.ToInt64(ends[^1].Values[0]));
        Assert.All(chunks, c => Assert.InRange(c.Rows, 0, 200 * (long)MySqlChunkEnds.MaxSpanPerRow));
        // Ended by arithmetic: some chunk ends fall in a gap, where no row is.
        var present = await prepared.Session.QueryAsync($"SELECT COUNT(*) FROM items WHERE id IN ({string.Join(", ", ends.ConvertAll(e => Convert.ToInt64(e.Values[0])))})", null, CancellationToken.None);
        Assert.True(Convert.ToInt64(present[0][0]) < ends.Count, "every chunk ended at a row: the ends were looked up, not computed");
        await AssertShadowEqualsOriginalAsync(prepared, 500 + 1000 + 34 + 2);
    }

    [Fact]
    public async Task An_unsigned_bigint_key_up_to_its_largest_value_is_copied_whole()
    {
        await using var prepared = await PrepareAsync(
            "my_ends_ubig", "id BIGINT UNSIGNED",
            "INSERT INTO items SELECT 18446744073709551615 - seq, seq FROM seq_0_to_999; INSERT INTO items VALUES (0, 0), (9223372036854775807, 1), (9223372036854775808, 2)");
        var ends = (await CopyAllAsync(prepared, 300, _ => Task.CompletedTask)).ConvertAll(c => c.Last);

        Assert.Equal(18446744073709551615UL, Convert.ToUInt64(ends[^1].Values[0]));
        await AssertShadowEqualsOriginalAsync(prepared, 1003);
    }

    [Fact]
    public async Task A_string_key_still_ends_each_chunk_at_a_row_of_the_table()
    {
        await using var prepared = await PrepareAsync("my_ends_str", "code VARCHAR(20)", "INSERT INTO items SELECT CONCAT('k', seq), seq FROM seq_1_to_1000");
        var ends = (await CopyAllAsync(prepared, 250, _ => Task.CompletedTask)).ConvertAll(c => c.Last);

        Assert.Equal(4, ends.Count);
        foreach (var end in ends)
        {
            Assert.Equal(1L, Convert.ToInt64((await prepared.Session.QueryAsync("SELECT COUNT(*) FROM items WHERE code = ?", new[] { end.Values[0] }, CancellationToken.None))[0][0]));
        }

        await AssertShadowEqualsOriginalAsync(prepared, 1000);
    }

    /// <summary>
    /// A key with a sparse stretch and a dense one: a span per row from the whole range would make one chunk of the
    /// dense stretch hold all of it. Such a key is walked by offset, so no chunk holds more than the rows asked for.
    /// </summary>
    [Fact]
    public async Task A_key_sparse_in_one_stretch_and_dense_in_another_never_makes_an_oversized_chunk()
    {
        await using var prepared = await PrepareAsync(
            "my_ends_skew", "id BIGINT",
            "INSERT INTO items SELECT seq, seq FROM seq_1_to_100; INSERT INTO items SELECT 1000000000000 + seq, seq FROM seq_1_to_3000; ANALYZE TABLE items");
        var chunks = await CopyAllAsync(prepared, 250, _ => Task.CompletedTask);

        Assert.All(chunks, c => Assert.InRange(c.Rows, 0, 250));
        Assert.Equal(13, chunks.Count);
        await AssertShadowEqualsOriginalAsync(prepared, 3100);
    }

    /// <summary>A copy of <c>items</c> keyed by <paramref name="key"/> (<c>n</c> becomes BIGINT), with <paramref name="setup"/>'s rows.</summary>
    private static Task<PreparedMySqlCopy> PrepareAsync(string label, string key, string setup)
    {
        var baseline = $"CREATE TABLE items ({key} NOT NULL PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB;\n";
        return PreparedMySqlCopy.CreateAsync(label, baseline, baseline.Replace("n INT", "n BIGINT", StringComparison.Ordinal), setup);
    }

    /// <summary>Copies chunk after chunk of <paramref name="rows"/> rows until the copier finds no row above the last; returns each chunk's end.</summary>
    private static async Task<List<CopiedChunk>> CopyAllAsync(PreparedMySqlCopy prepared, int rows, Func<int, Task> afterChunk)
    {
        var copier = prepared.Engine.CreateCopier(prepared.Table);
        var chunks = new List<CopiedChunk>();
        RowKey? after = null;
        while (await copier.CopyNextAsync(after, rows, CancellationToken.None) is { } chunk)
        {
            Assert.True(chunks.Count < 100_000, "the copy does not end");
            chunks.Add(chunk);
            after = chunk.Last;
            await afterChunk(chunks.Count);
        }

        return chunks;
    }

    private static async Task AssertShadowEqualsOriginalAsync(PreparedMySqlCopy prepared, long expected)
    {
        var session = prepared.Session;
        Assert.Equal(expected, Convert.ToInt64((await session.QueryAsync("SELECT COUNT(*) FROM items", null, CancellationToken.None))[0][0]));
        var key = prepared.Table.KeyColumns[0];
        var missing = await session.QueryAsync(
            $"SELECT COUNT(*) FROM items o LEFT JOIN {prepared.Shadow} s ON s.`{key}` = o.`{key}` WHERE s.`{key}` IS NULL OR s.n <> o.n", null, CancellationToken.None);
        Assert.Equal(0L, Convert.ToInt64(missing[0][0]));
        Assert.Equal(expected, Convert.ToInt64((await session.QueryAsync($"SELECT COUNT(*) FROM {prepared.Shadow}", null, CancellationToken.None))[0][0]));
    }
}
