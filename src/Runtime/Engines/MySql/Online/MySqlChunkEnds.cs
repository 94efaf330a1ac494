using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Engines.MySql.Online;

/// <summary>
/// Finds where the next chunk along the copy key ends. A key of one integer column ends a chunk by
/// arithmetic: <c>after + rows × (key span per row)</c>, capped at the largest key, read again when the
/// chunk reaches it (rows inserted above it meanwhile are copied too). Any other key asks the server
/// for the <c>rows</c>-th key above <c>after</c> (<c>LIMIT 1 OFFSET rows - 1</c>), which walks those
/// rows through the clustered index once more before the chunk reads them: measured on 1M rows, about
/// a tenth of the copy and most of the checksum's time between its sums. The span per row comes
/// from the key range and the table's row estimate. Keys are unique, so a span holds at most as many
/// rows as it is wide: with at most <see cref="MaxSpanPerRow"/> key values per row a chunk holds at most
/// that many times the rows asked for, whatever the gaps or the estimate. A sparser key is walked by
/// offset like any other: one dense stretch of it (ids 1..1000, then millions from 10^12) would
/// otherwise fill a single chunk with any number of rows.
/// </summary>
internal sealed class MySqlChunkEnds
{
    private readonly MySqlCopyTable table;
    private decimal? max;
    private decimal spanPerRow = 1;
    private bool byOffset;

    internal const decimal MaxSpanPerRow = 2;

    public MySqlChunkEnds(MySqlCopyTable table) => this.table = table;

    /// <summary>The key of the last row of a chunk of about <paramref name="rows"/> rows above <paramref name="after"/>; null when no row is above it.</summary>
    public async Task<RowKey?> NextAsync(MySqlSession session, RowKey? after, int rows, CancellationToken cancellationToken)
    {
        if (byOffset || table.KeyOriginal.Count != 1 || (after is not null && !RowKey.TryInteger(after.Values[0], out _)))
        {
            return await ByOffsetAsync(session, after, rows, cancellationToken).ConfigureAwait(false);
        }

        decimal from;
        if (after is null || max is null)
        {
            // The first chunk (or the first after a resume): the key's range now; a row below an earlier minimum would be missed.
            var found = await session.QueryAsync(
                $"SELECT MIN({table.KeyOriginal[0]}), MAX({table.KeyOriginal[0]}), (SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?) FROM {table.Original}",
                new object?[] { table.Table.Original }, cancellationToken).ConfigureAwait(false);
            if (found[0][0] is null || !RowKey.TryInteger(found[0][0], out var low) || !RowKey.TryInteger(found[0][1], out var high))
            {
                return found[0][0] is null ? null : await ByOffsetAsync(session, after, rows, cancellationToken).ConfigureAwait(false);
            }

            max = high;
            var estimate = found[0][2] is null ? 0 : Convert.ToDecimal(found[0][2], CultureInfo.InvariantCulture);
            spanPerRow = estimate <= 0 ? 1 : Math.Max(1, (high - low + 1) / estimate);
            if (spanPerRow > MaxSpanPerRow)
            {
                byOffset = true;
                return await ByOffsetAsync(session, after, rows, cancellationToken).ConfigureAwait(false);
            }
            from = after is null ? low - 1 : Integer(after);
        }
        else
        {
            from = Integer(after);
        }

        if (from >= max)
        {
            // The chunk reached the largest key read so far: rows may have been inserted above it since.
            var found = await session.QueryAsync($"SELECT MAX({table.KeyOriginal[0]}) FROM {table.Original}", null, cancellationToken).ConfigureAwait(false);
            if (found[0][0] is null || !RowKey.TryInteger(found[0][0], out var high) || high <= from)
            {
                return null;
            }

            max = high;
        }

        var last = Math.Min(max!.Value, from + Math.Max(1, Math.Ceiling(rows * spanPerRow)));
        return new RowKey(new object?[] { last <= long.MaxValue ? (object)(long)last : (ulong)last });
    }

    private static decimal Integer(RowKey key)
    {
        RowKey.TryInteger(key.Values[0], out var value);
        return value;
    }

    /// <summary>The key of the <paramref name="rows"/>-th row above <paramref name="after"/>, or of the last row when fewer are left; null when none is.</summary>
    private async Task<RowKey?> ByOffsetAsync(MySqlSession session, RowKey? after, int rows, CancellationToken cancellationToken)
    {
        var columns = string.Join(", ", table.KeyOriginal);
        var parameters = new List<object?>();
        var above = KeySql.Above(table.KeyOriginal, after, parameters);
        var found = await session.QueryAsync(
            $"SELECT {columns} FROM {table.Original} WHERE {above} ORDER BY {KeySql.OrderBy(table.KeyOriginal)} LIMIT 1 OFFSET {Math.Max(0, rows - 1).ToString(CultureInfo.InvariantCulture)}",
            parameters, cancellationToken).ConfigureAwait(false);
        if (found.Count == 0)
        {
            found = await session.QueryAsync($"SELECT {columns} FROM {table.Original} WHERE {above} ORDER BY {KeySql.OrderBy(table.KeyOriginal, descending: true)} LIMIT 1", parameters, cancellationToken).ConfigureAwait(false);
        }

        return found.Count == 0 ? null : new RowKey(found[0]);
    }
}
