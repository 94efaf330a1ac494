using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Engines.MySql;
using SchemaBuild.Runtime.Engines.MySql.Online;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Online.Roles;
using Xunit;

namespace SchemaBuild.Runtime.Tests.GhostCopy.MySql;

/// <summary>
/// The shadow's plain secondary indexes are built after the bulk copy (by sorting) instead of row by row;
/// the copy key and unique keys stay from the start, and a resumed copy adds back what the shadow lacks.
/// </summary>
public sealed class MySqlDeferredIndexTests
{
    private const string Baseline =
        "CREATE TABLE items (id INT NOT NULL PRIMARY KEY, n INT NOT NULL, name VARCHAR(20) NOT NULL, code VARCHAR(10) NOT NULL, "
        + "KEY by_n (n), KEY by_name_n (name(5), n DESC), UNIQUE KEY by_code (code), KEY noted (n) COMMENT 'kept') ENGINE=InnoDB;\n";

    [Fact]
    public async Task Plain_secondary_indexes_are_added_when_the_bulk_copy_ends_and_again_on_resume()
    {
        await using var prepared = await PreparedMySqlCopy.CreateAsync(
            "my_copy_defer", Baseline, Baseline.Replace("n INT", "n BIGINT", StringComparison.Ordinal),
            "INSERT INTO items SELECT seq, seq % 7, CONCAT('name', seq), CONCAT('c', seq) FROM seq_1_to_3000");
        var session = prepared.Session;
        var original = await IndexesAsync(session, "items");

        // During the copy: the key, the unique key and the index with a comment are there; the plain ones are not.
        Assert.Equal(new[] { "by_code", "noted", "PRIMARY" }, (await IndexesAsync(session, prepared.Table.Shadow)).Select(i => i.Name).ToArray());

        var copier = prepared.Engine.CreateCopier(prepared.Table);
        RowKey? after = null;
        while (await copier.CopyNextAsync(after, 1000, CancellationToken.None) is { } chunk)
        {
            after = chunk.Last;
        }

        Assert.Equal(original, await IndexesAsync(session, prepared.Table.Shadow));
        Assert.Equal(3000L, Convert.ToInt64((await session.QueryAsync($"SELECT COUNT(*) FROM {prepared.Shadow} FORCE INDEX (by_name_n) WHERE name LIKE 'name%'", null, CancellationToken.None))[0][0]));

        // A run killed before the indexes were added: the resumed one adds them back at once and leaves no scratch table.
        await session.ExecuteAsync($"ALTER TABLE {prepared.Shadow} DROP INDEX by_n, DROP INDEX by_name_n", null, CancellationToken.None);
        await using var again = await MySqlOnlineEngine.CreateAsync(session, GhostCopyOptions.Default, CancellationToken.None);
        var step = Plans.Between(DialectKind.MariaDb, Baseline, Baseline.Replace("n INT", "n BIGINT", StringComparison.Ordinal)).Steps.Single(s => s.Changes.Count > 0);
        await again.PrepareAsync(new GhostCopyRequest(QualifiedName.Unqualified("items"), step.Sql) { Changes = step.Changes }, resume: true, CancellationToken.None);
        Assert.Equal(original, await IndexesAsync(session, prepared.Table.Shadow));
        Assert.False(await session.TableExistsAsync("items__gix", CancellationToken.None));
    }

    /// <summary>Each index as name, uniqueness and its parts (column, prefix, order), the way STATISTICS describes it.</summary>
    private static async Task<(string Name, string Parts)[]> IndexesAsync(MySqlSession session, string table) =>
        (await session.QueryAsync(
            "SELECT INDEX_NAME, CONCAT(NON_UNIQUE, ':', GROUP_CONCAT(CONCAT(COLUMN_NAME, '(', COALESCE(SUB_PART, ''), ')', COALESCE(COLLATION, '')) ORDER BY SEQ_IN_INDEX), ':', INDEX_COMMENT) "
            + "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? GROUP BY INDEX_NAME, NON_UNIQUE, INDEX_COMMENT ORDER BY INDEX_NAME",
            new object?[] { table }, CancellationToken.None))
        .Select(r => (Convert.ToString(r[0])!, Convert.ToString(r[1])!)).ToArray();
}
