using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Online.Roles;
using SchemaBuild.Runtime.Sessions;

namespace SchemaBuild.Runtime.Engines.Postgres.Online;

/// <summary>
/// The PostgreSQL statements of <see cref="KeyRecopyApplier"/>: <c>DELETE</c> from the shadow, then
/// <c>INSERT … SELECT</c> from the original, the keys as one text array per key column, cast like
/// the copy casts them. The stream only hands over keys whose transactions every new snapshot sees
/// (<see cref="PgCommitVisibility"/>), so the read needs no lock.
/// </summary>
internal sealed class PgKeyRecopySql : IKeyRecopySql
{
    private readonly PgGhostTable table;

    public PgKeyRecopySql(PgGhostTable table) => this.table = table;

    public string Delete(IReadOnlyCollection<RowKey> keys, List<object?> parameters) =>
        "DELETE FROM " + PgCopyExpressions.Writer.QuoteName(table.Shadow) + " WHERE " + KeyIn(Unnest(keys, parameters), onShadow: true);

    public string Copy(IReadOnlyCollection<RowKey> keys, bool writersBlocked, List<object?> parameters) => CopyWhere(KeyIn(Unnest(keys, parameters), onShadow: false));

    /// <summary>Records <paramref name="keys"/> in the table of pending keys (the shadow has no primary key yet).</summary>
    public string RecordPending(IReadOnlyCollection<RowKey> keys, List<object?> parameters) =>
        "INSERT INTO " + PgCopyExpressions.Writer.QuoteName(table.Pending) + " (" + string.Join(", ", table.Key.Select((k, i) => "k" + i)) + ") SELECT u.* FROM " + Unnest(keys, parameters);

    /// <summary>The table of pending keys: one text column per key column.</summary>
    public string CreatePending() =>
        "CREATE TABLE IF NOT EXISTS " + PgCopyExpressions.Writer.QuoteName(table.Pending) + " (" + string.Join(", ", table.Key.Select((k, i) => "k" + i + " text")) + ")";

    /// <summary>The shadow's rows of every pending key deleted, then copied again from the original, and the pending keys dropped.</summary>
    public IReadOnlyList<string> ApplyPending()
    {
        var pending = PgCopyExpressions.Writer.QuoteName(table.Pending) + " AS u";
        return new[]
        {
            "DELETE FROM " + PgCopyExpressions.Writer.QuoteName(table.Shadow) + " WHERE " + KeyIn(pending, onShadow: true),
            CopyWhere(KeyIn(pending, onShadow: false)),
            "DROP TABLE " + PgCopyExpressions.Writer.QuoteName(table.Pending),
        };
    }

    private string CopyWhere(string condition) =>
        "INSERT INTO " + PgCopyExpressions.Writer.QuoteName(table.Shadow) + " (" + string.Join(", ", table.Columns.Select(c => PgCopyExpressions.Writer.QuoteIdentifier(c.Name))) + ") OVERRIDING SYSTEM VALUE SELECT "
        + string.Join(", ", table.Columns.Select(PgCopyExpressions.FromSource)) + " FROM " + PgCopyExpressions.Writer.QuoteName(table.Original) + " WHERE " + condition;

    /// <summary><c>unnest($1::text[], $2::text[]) AS u(k0, k1)</c>: the keys as one text array per key column.</summary>
    private string Unnest(IReadOnlyCollection<RowKey> keys, List<object?> parameters)
    {
        var first = parameters.Count + 1;
        parameters.AddRange(table.Key.Select((k, i) => (object?)keys.Select(key => PgRangeCopier.Text(key.Values[i])).ToArray()));
        return "unnest(" + string.Join(", ", table.Key.Select((k, i) => "$" + (first + i) + "::text[]")) + ") AS u(" + string.Join(", ", table.Key.Select((k, i) => "k" + i)) + ")";
    }

    /// <summary><c>(k1, k2) IN (SELECT … FROM rows)</c>, the text keys <c>u.k0</c>… of <paramref name="rows"/> cast like the copy casts them.</summary>
    private string KeyIn(string rows, bool onShadow)
    {
        var values = table.Key.Select((k, i) => onShadow ? PgCopyExpressions.Convert(k, "u.k" + i) : PgCopyExpressions.SourceValue(k, "u.k" + i));
        return "(" + string.Join(", ", table.Key.Select(k => PgCopyExpressions.Writer.QuoteIdentifier(onShadow ? k.Name : k.SourceName))) + ") IN (SELECT " + string.Join(", ", values) + " FROM " + rows + ")";
    }
}

/// <summary>
/// The forward applier: <see cref="KeyRecopyApplier"/> once the shadow has its primary key. Before (the bulk
/// copy) the shadow has no index to find a changed key's row by, so the keys are recorded in the table of
/// pending keys instead, committed like any applied batch (the slot confirms past them); the copy's end
/// applies them all at once (<see cref="PgRangeCopier"/>).
/// </summary>
internal sealed class PgPendingKeyApplier : IChangeApplier
{
    private readonly IStatementRunner own;
    private readonly PgGhostTable table;
    private readonly PgKeyRecopySql sql;
    private readonly KeyRecopyApplier direct;

    public PgPendingKeyApplier(IStatementRunner own, PgGhostTable table)
    {
        this.own = own;
        this.table = table;
        sql = new PgKeyRecopySql(table);
        direct = new KeyRecopyApplier(own, sql);
    }

    public async Task<long> ApplyAsync(IReadOnlyCollection<RowKey> keys, object? writer, CancellationToken cancellationToken)
    {
        if (table.KeyBuilt || keys.Count == 0)
        {
            return await direct.ApplyAsync(keys, writer, cancellationToken).ConfigureAwait(false);
        }

        var parameters = new List<object?>();
        return await (writer as IStatementRunner ?? own).ExecuteAsync(sql.RecordPending(keys, parameters), parameters, cancellationToken).ConfigureAwait(false);
    }
}
