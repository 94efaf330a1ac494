using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Engines.Postgres.Online;

/// <summary>
/// Makes the shadow rows of changed keys equal to the original's current rows: DELETE them from
/// the shadow, then INSERT … SELECT them from the original through the column mapping, in one
/// transaction (the caller's, when the cutover drains on its locking session). Reading the
/// original's current row makes it idempotent and independent of the order inside a batch.
/// </summary>
internal sealed class PgKeyApplier : IChangeApplier
{
    private readonly PgSql worker;
    private readonly PgGhostTable table;

    public PgKeyApplier(PgSql worker, PgGhostTable table)
    {
        this.worker = worker;
        this.table = table;
    }

    public async Task<long> ApplyAsync(IReadOnlyCollection<RowKey> keys, object? writer, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return 0;
        }

        var sql = writer as PgSql ?? worker;
        long rows = 0;
        async Task Apply()
        {
            var parameters = table.Key.Select((k, i) => (object?)keys.Select(key => PgRangeCopier.Text(key.Values[i])).ToArray()).ToList();
            rows += await sql.ExecuteAsync(
                "DELETE FROM " + sql.Quote(table.Shadow) + " WHERE " + KeyIn(sql, onShadow: true), parameters, cancellationToken).ConfigureAwait(false);
            rows += await sql.ExecuteAsync(
                "INSERT INTO " + sql.Quote(table.Shadow) + " (" + string.Join(", ", table.Columns.Select(c => sql.Quote(c.Name))) + ") OVERRIDING SYSTEM VALUE SELECT "
                + string.Join(", ", table.Columns.Select(PgCopyExpressions.FromSource)) + " FROM " + sql.Quote(table.Original) + " WHERE " + KeyIn(sql, onShadow: false),
                parameters, cancellationToken).ConfigureAwait(false);
        }

        if (sql.Transaction is null)
        {
            await sql.InTransactionAsync(Apply, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await Apply().ConfigureAwait(false);
        }

        return rows;
    }

    /// <summary><c>(k1, k2) IN (SELECT … FROM unnest($1::text[], $2::text[]))</c>, the text keys cast like the copy casts them.</summary>
    private string KeyIn(PgSql sql, bool onShadow)
    {
        var columns = table.Key.Select((k, i) => "k" + i).ToList();
        var values = table.Key.Select((k, i) => onShadow ? PgCopyExpressions.Convert(k, "u.k" + i) : PgCopyExpressions.SourceValue(k, "u.k" + i));
        return "(" + string.Join(", ", table.Key.Select(k => sql.Quote(onShadow ? k.Name : k.SourceName))) + ") IN (SELECT " + string.Join(", ", values)
            + " FROM unnest(" + string.Join(", ", table.Key.Select((k, i) => "$" + (i + 1) + "::text[]")) + ") AS u(" + string.Join(", ", columns) + "))";
    }
}
