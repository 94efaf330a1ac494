using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Engines.Postgres.Online;

/// <summary>
/// Copies the original into the shadow along the copy key, one key range per call, server-side
/// (<c>INSERT … SELECT … ON CONFLICT DO NOTHING</c>, so rows the stream already wrote stay: they are
/// as new or newer). Keys travel as the server's text form of each value.
/// </summary>
internal sealed class PgRangeCopier : IRowCopier
{
    private readonly PgSql sql;
    private readonly PgGhostTable table;

    public PgRangeCopier(PgSql sql, PgGhostTable table)
    {
        this.sql = sql;
        this.table = table;
    }

    public async Task<long> EstimateRowsAsync(CancellationToken cancellationToken) =>
        Math.Max(0L, Convert.ToInt64(await sql.ScalarAsync("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass($1)", new object?[] { sql.Quote(table.Original) }, cancellationToken).ConfigureAwait(false) ?? 0L, CultureInfo.InvariantCulture));

    public async Task<CopiedChunk?> CopyNextAsync(RowKey? after, int rows, CancellationToken cancellationToken)
    {
        var range = await RangeAsync(sql, table, after, rows, cancellationToken).ConfigureAwait(false);
        if (range is null)
        {
            return null;
        }

        var copied = await InsertAsync(sql, table, range, cancellationToken).ConfigureAwait(false);
        return new CopiedChunk(new RowKey(range.UpTo!), copied);
    }

    public async Task<long> RecopyAsync(RowKey? after, RowKey upTo, CancellationToken cancellationToken)
    {
        var range = new PgKeyRange(Strings(after), Strings(upTo));
        long copied = 0;
        await sql.InTransactionAsync(
            async _ =>
            {
                var parameters = new List<object?>();
                await sql.ExecuteAsync("DELETE FROM " + sql.Quote(table.Shadow) + " WHERE " + range.Where(sql, table, onShadow: true, parameters), parameters, cancellationToken).ConfigureAwait(false);
                copied = await InsertAsync(sql, table, range, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return copied;
    }

    /// <summary>The range of the next <paramref name="rows"/> keys after <paramref name="after"/>, closed at its last key; null when no key is left.</summary>
    public static async Task<PgKeyRange?> RangeAsync(PgSql sql, PgGhostTable table, RowKey? after, int rows, CancellationToken cancellationToken)
    {
        var start = Strings(after);
        var range = await PgKeyRange.NextAsync(sql, table, start, rows, cancellationToken).ConfigureAwait(false);
        if (range.UpTo is not null)
        {
            return range;
        }

        // Fewer rows than asked are left: the range ends at the last key.
        var parameters = new List<object?>();
        var last = await sql.QueryAsync(
            "SELECT " + PgKeyRange.KeyText(sql, table) + " FROM " + sql.Quote(table.Original)
            + " WHERE " + range.Where(sql, table, onShadow: false, parameters) + " ORDER BY " + PgKeyRange.KeyOrder(sql, table, " DESC") + " LIMIT 1",
            parameters, cancellationToken).ConfigureAwait(false);
        return last.Count == 0 ? null : range with { UpTo = last[0].Select(v => (string)v!).ToArray() };
    }

    /// <summary>INSERT … SELECT of one range, leaving rows already in the shadow alone.</summary>
    public static Task<long> InsertAsync(PgSql sql, PgGhostTable table, PgKeyRange range, CancellationToken cancellationToken)
    {
        var parameters = new List<object?>();
        return sql.ExecuteAsync(
            "INSERT INTO " + sql.Quote(table.Shadow) + " (" + string.Join(", ", table.Columns.Select(c => sql.Quote(c.Name))) + ") OVERRIDING SYSTEM VALUE SELECT "
            + string.Join(", ", table.Columns.Select(PgCopyExpressions.FromSource)) + " FROM " + sql.Quote(table.Original) + " WHERE " + range.Where(sql, table, onShadow: false, parameters)
            + " ON CONFLICT DO NOTHING",
            parameters, cancellationToken);
    }

    public static string[]? Strings(RowKey? key) => key?.Values.Select(Text).ToArray();

    public static string Text(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
}
