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
    [Fact]
    public async Task A_retry_compares_the_same_key_range_after_a_row_inside_it_is_deleted()
    {
        await using var database = await TestDatabase.CreateAsync(DialectKind.Postgres, "pg_cksum_range");
        await database.RunAsync("CREATE TABLE items (id integer PRIMARY KEY, n integer NOT NULL); INSERT INTO items SELECT g, g * 10 FROM generate_series(1, 12) g;");
        await using var session = (PostgresSession)await database.OpenAsync();
        await using var engine = await PostgresOnlineEngine.CreateAsync(session, GhostCopyOptions.Default, CancellationToken.None);
        await engine.OpenAsync(CancellationToken.None);
        var step = Plans.Between(DialectKind.Postgres, "CREATE TABLE items (id integer PRIMARY KEY, n integer NOT NULL);", "CREATE TABLE items (id integer PRIMARY KEY, n bigint NOT NULL);")
            .Steps.Single(s => s.Changes.Count > 0);
        var table = await engine.PrepareAsync(new GhostCopyRequest(new QualifiedName("public", "items"), step.Sql) { Changes = step.Changes }, resume: false, CancellationToken.None);
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
}
