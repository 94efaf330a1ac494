using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Online.Roles;
using Xunit;

namespace SchemaBuild.Runtime.Tests.GhostCopy.MySql;

/// <summary>
/// A checksum chunk that differed is compared again after the stream is drained. Compared again as
/// "the same count of rows after the start", a row deleted inside the chunk moved its end onto the next
/// row, so the retry compared a row the first compare had not (and, for a key that is not an integer,
/// could not tell where the range ended at all). The retry compares the same closed key range.
/// </summary>
public sealed class MySqlChecksumTests
{
    [Theory]
    [InlineData("id INT NOT NULL PRIMARY KEY", "seq", 5, 6, 4)]
    [InlineData("code VARCHAR(10) NOT NULL PRIMARY KEY", "CONCAT('k', LPAD(seq, 2, '0'))", "k05", "k06", "k04")]
    public async Task A_retry_compares_the_same_key_range_after_a_row_inside_it_is_deleted(string key, string keyOf, object fifth, object sixth, object fourth)
    {
        var column = key.Split(' ')[0];
        var baseline = $"CREATE TABLE items ({key}, n INT NOT NULL) ENGINE=InnoDB;\n";
        await using var prepared = await PreparedMySqlCopy.CreateAsync(
            "my_cksum_range", baseline, baseline.Replace("n INT", "n BIGINT", System.StringComparison.Ordinal), $"INSERT INTO items SELECT {keyOf}, seq * 10 FROM seq_1_to_12");
        var (database, shadow) = (prepared.Database, prepared.Shadow);
        var copied = await prepared.Engine.CreateCopier(prepared.Table).CopyNextAsync(null, 100, CancellationToken.None);
        Assert.Equal(12L, copied!.Rows);
        var checksum = prepared.Engine.CreateChecksum(prepared.Table);

        var first = await checksum.CompareNextAsync(null, 5, CancellationToken.None);
        Assert.NotNull(first);
        Assert.True(first.Matches);
        Assert.Equal(5L, first.Rows);
        Assert.Equal(fifth.ToString(), first.Last.Values[0]?.ToString());

        // The fourth row deleted on both sides (the stream brought the delete) and the sixth, beyond the range,
        // differs in the shadow: five rows after the start now reach the sixth key, the closed range (…, fifth] does not.
        await database.RunAsync($"DELETE FROM items WHERE {column} = '{fourth}'; DELETE FROM {shadow} WHERE {column} = '{fourth}'; UPDATE {shadow} SET n = -1 WHERE {column} = '{sixth}';");
        var byCount = await checksum.CompareNextAsync(null, 5, CancellationToken.None);
        Assert.Equal(sixth.ToString(), byCount!.Last.Values[0]?.ToString());
        Assert.False(byCount.Matches);
        Assert.True(await checksum.CompareAgainAsync(null, first.Last, CancellationToken.None));
        Assert.False(await checksum.CompareAgainAsync(first.Last, new RowKey(copied.Last.Values), CancellationToken.None));

        // A difference inside the range is still found by the retry.
        await database.RunAsync($"UPDATE {shadow} SET n = -1 WHERE {column} = '{fifth}';");
        Assert.False(await checksum.CompareAgainAsync(null, first.Last, CancellationToken.None));
    }
}
