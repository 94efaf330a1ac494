using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Online.Roles;

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
        "DELETE FROM " + PgCopyExpressions.Writer.QuoteName(table.Shadow) + " WHERE " + KeyIn(keys, onShadow: true, parameters);

    public string Copy(IReadOnlyCollection<RowKey> keys, bool writersBlocked, List<object?> parameters) =>
        "INSERT INTO " + PgCopyExpressions.Writer.QuoteName(table.Shadow) + " (" + string.Join(", ", table.Columns.Select(c => PgCopyExpressions.Writer.QuoteIdentifier(c.Name))) + ") OVERRIDING SYSTEM VALUE SELECT "
        + string.Join(", ", table.Columns.Select(PgCopyExpressions.FromSource)) + " FROM " + PgCopyExpressions.Writer.QuoteName(table.Original) + " WHERE " + KeyIn(keys, onShadow: false, parameters);

    /// <summary><c>(k1, k2) IN (SELECT … FROM unnest($1::text[], $2::text[]))</c>, the text keys cast like the copy casts them.</summary>
    private string KeyIn(IReadOnlyCollection<RowKey> keys, bool onShadow, List<object?> parameters)
    {
        var first = parameters.Count + 1;
        parameters.AddRange(table.Key.Select((k, i) => (object?)keys.Select(key => PgRangeCopier.Text(key.Values[i])).ToArray()));
        var values = table.Key.Select((k, i) => onShadow ? PgCopyExpressions.Convert(k, "u.k" + i) : PgCopyExpressions.SourceValue(k, "u.k" + i));
        return "(" + string.Join(", ", table.Key.Select(k => PgCopyExpressions.Writer.QuoteIdentifier(onShadow ? k.Name : k.SourceName))) + ") IN (SELECT " + string.Join(", ", values)
            + " FROM unnest(" + string.Join(", ", table.Key.Select((k, i) => "$" + (first + i) + "::text[]")) + ") AS u(" + string.Join(", ", table.Key.Select((k, i) => "k" + i)) + "))";
    }
}
