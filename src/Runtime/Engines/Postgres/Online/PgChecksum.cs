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
    public const int RangeRows = 20_000;

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

    private static async Task<string> AggregateAsync(PgSql sql, PgGhostTable table, PgKeyRange range, bool onShadow, CancellationToken cancellationToken)
    {
        var parameters = new List<object?>();
        var values = string.Join(", ", table.Columns.Select(c => onShadow ? sql.Quote(c.Name) : PgCopyExpressions.FromSource(c)));
        var row = await sql.QueryAsync(
            "SELECT count(*)::text || ':' || coalesce(sum(hashtextextended(ROW(" + values + ")::text, 0)::numeric), 0)::text FROM "
            + sql.Quote(onShadow ? table.Shadow : table.Original) + " WHERE " + range.Where(sql, table, onShadow, parameters),
            parameters, cancellationToken).ConfigureAwait(false);
        return (string)row[0][0]!;
    }
}
