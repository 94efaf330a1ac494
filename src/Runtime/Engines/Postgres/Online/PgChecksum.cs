using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace SchemaBuild.Runtime.Engines.Postgres.Online;

/// <summary>
/// Compares the original and the shadow over key ranges: row count and the sum of a 64-bit hash
/// of each row's copied columns (the original's converted like the copy converts them), so
/// equal aggregates mean equal rows in the range.
/// </summary>
internal static class PgChecksum
{
    /// <summary>The largest range compared in a snapshot of its own: under load a smaller one is less likely to hold a change still on its way through the stream.</summary>
    public const int RangeRows = 20_000;

    /// <summary>The largest range compared in the shared snapshot, where nothing moves (the group's chunk sizer picks within it).</summary>
    public const int SnapshotRangeRows = 200_000;

    public static async Task<bool> RangeMatchesAsync(PgSql sql, PgGhostTable table, PgKeyRange range, CancellationToken cancellationToken)
    {
        var source = await AggregateAsync(sql, table, range, onShadow: false, cancellationToken).ConfigureAwait(false);
        var shadow = await AggregateAsync(sql, table, range, onShadow: true, cancellationToken).ConfigureAwait(false);
        return source == shadow;
    }

    /// <summary>
    /// The same compare with the two sums side by side, the original's on <paramref name="source"/> and the
    /// shadow's on <paramref name="shadowSide"/> (both in one shared snapshot): each sum is one scan by one
    /// server process, so the two run in parallel.
    /// </summary>
    public static async Task<bool> RangeMatchesAsync(PgSql source, PgSql shadowSide, PgGhostTable table, PgKeyRange range, CancellationToken cancellationToken)
    {
        var sums = await Task.WhenAll(
            AggregateAsync(source, table, range, onShadow: false, cancellationToken),
            AggregateAsync(shadowSide, table, range, onShadow: true, cancellationToken)).ConfigureAwait(false);
        return sums[0] == sums[1];
    }

    /// <summary>
    /// The original's side of the next range of up to <paramref name="rows"/> keys after <paramref name="after"/>
    /// in one index scan: where the range ends (its last key), and the range's aggregate. Finding the end with
    /// a query of its own (<see cref="PgKeyRange.NextAsync"/>) read every key of the range once more and cost
    /// more than summing it. Null when no key is left.
    /// </summary>
    public static async Task<PgSourceSums?> SourceRangeAsync(PgSql sql, PgGhostTable table, string[]? after, int rows, CancellationToken cancellationToken)
    {
        var parameters = new List<object?>();
        var keys = table.Key.Select((k, i) => sql.Quote(table.Original) + "." + sql.Quote(k.SourceName) + " AS k" + i);
        var range = "SELECT " + string.Join(", ", keys) + ", " + RowHash(sql, table, onShadow: false) + " AS h FROM " + sql.Quote(table.Original)
            + " WHERE " + new PgKeyRange(after, null).Where(sql, table, onShadow: false, parameters) + " ORDER BY " + PgKeyRange.KeyOrder(sql, table, string.Empty) + " LIMIT " + rows;

        // One integer key column: its max() is the range's last key, in the same scan. Otherwise the last row in key
        // order (several columns; types without max(), such as uuid), which needs the range materialized and sorted
        // once more (about twice the time).
        var row = (await sql.QueryAsync(
            table.Key is [{ SourceType: "integer" or "bigint" or "smallint" }]
                ? "SELECT ARRAY[max(r.k0)::text], count(*), " + Sums("r.h") + " FROM (" + range + ") r"
                : "WITH r AS MATERIALIZED (" + range + ") SELECT (SELECT ARRAY[" + string.Join(", ", table.Key.Select((k, i) => "r.k" + i + "::text")) + "] FROM r ORDER BY "
                    + string.Join(", ", table.Key.Select((k, i) => "r.k" + i + " DESC")) + " LIMIT 1), count(*), " + Sums("r.h") + " FROM r",
            parameters, cancellationToken).ConfigureAwait(false))[0];
        return (long)row[1]! > 0 ? new PgSourceSums((string[])row[0]!, (long)row[1]!, (string)row[2]!) : null;
    }

    public static async Task<string> AggregateAsync(PgSql sql, PgGhostTable table, PgKeyRange range, bool onShadow, CancellationToken cancellationToken)
    {
        var parameters = new List<object?>();
        var row = await sql.QueryAsync(
            "SELECT " + Sums(RowHash(sql, table, onShadow)) + " FROM " + sql.Quote(onShadow ? table.Shadow : table.Original) + " WHERE " + range.Where(sql, table, onShadow, parameters),
            parameters, cancellationToken).ConfigureAwait(false);
        return (string)row[0][0]!;
    }

    /// <summary>A row's 64-bit hash over its copied columns as the shadow holds them.</summary>
    private static string RowHash(PgSql sql, PgGhostTable table, bool onShadow) =>
        "hashtextextended(ROW(" + string.Join(", ", table.Columns.Select(c => onShadow ? sql.Quote(c.Name) : PgCopyExpressions.FromSource(c))) + ")::text, 0)";

    /// <summary>
    /// Row count and hash sum as one text. <c>sum(bigint)</c> adds in 128-bit integers and returns the exact
    /// numeric; casting each hash to numeric first gave the same value 25% slower.
    /// </summary>
    private static string Sums(string hash) => "count(*)::text || ':' || coalesce(sum(" + hash + "), 0)::text";
}

/// <summary>The original's side of a checksum range: its last key (text values), rows and aggregate.</summary>
internal sealed record PgSourceSums(string[] UpTo, long Rows, string Sums);
