using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

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

    /// <summary>
    /// A row's 64-bit hash over its copied columns as the shadow holds them: the row hashed as a record
    /// (<c>hash_record_extended</c>, each column by its type's hash function) where the server can
    /// (<see cref="HashesRecordsAsync"/>), otherwise the hash of the row's text form.
    /// </summary>
    private static string RowHash(PgSql sql, PgGhostTable table, bool onShadow)
    {
        var row = "ROW(" + string.Join(", ", table.Columns.Select(c => onShadow ? sql.Quote(c.Name) : PgCopyExpressions.FromSource(c))) + ")";
        return table.HashesRecords ? "hash_record_extended(" + row + ", 0)" : "hashtextextended(" + row + "::text, 0)";
    }

    /// <summary>
    /// Whether the server hashes the shadow's rows as records: 20-40% faster than hashing their text (200k rows), but
    /// every column type needs an extended hash function (<c>json</c>, <c>point</c> and others have none) and the
    /// function needs PostgreSQL 14. The server's type cache decides, not a list here: a row of NULLs of the shadow's
    /// column types is hashed once (the function looks each column's hash up before it reads the value).
    /// </summary>
    public static async Task<bool> HashesRecordsAsync(PgSql sql, PgGhostTable table, CancellationToken cancellationToken)
    {
        try
        {
            await sql.ScalarAsync("SELECT hash_record_extended(ROW(" + string.Join(", ", table.Columns.Select(c => "CAST(NULL AS " + c.ShadowType + ")")) + "), 0)", null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedFunction)
        {
            return false; // a column type without an extended hash function, or a server before 14
        }
    }

    /// <summary>
    /// Row count and hash sum as one text. <c>sum(bigint)</c> adds in 128-bit integers and returns the exact
    /// numeric; casting each hash to numeric first gave the same value 25% slower.
    /// </summary>
    private static string Sums(string hash) => "count(*)::text || ':' || coalesce(sum(" + hash + "), 0)::text";
}

/// <summary>The original's side of a checksum range: its last key (text values), rows and aggregate.</summary>
internal sealed record PgSourceSums(string[] UpTo, long Rows, string Sums);
