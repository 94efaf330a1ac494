using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Online;

namespace SchemaBuild.Runtime.Engines.Postgres.Online;

/// <summary>
/// A range of the copy key, <c>(after, upTo]</c>, with its bounds as the key's text values (null:
/// open end). The copy walks the original with these, and the checksum compares both tables over them.
/// </summary>
internal sealed record PgKeyRange(string[]? After, string[]? UpTo)
{
    /// <summary>The range of the next <paramref name="rows"/> rows of the original after <paramref name="after"/>.</summary>
    public static async Task<PgKeyRange> NextAsync(PgSql sql, PgGhostTable table, string[]? after, int rows, CancellationToken cancellationToken)
    {
        var parameters = new List<object?>();
        var where = new PgKeyRange(after, null).Where(sql, table, onShadow: false, parameters);
        var upper = await sql.QueryAsync(
            "SELECT " + KeyText(sql, table) + " FROM " + sql.Quote(table.Original)
            + " WHERE " + where + " ORDER BY " + KeyOrder(sql, table, string.Empty) + " OFFSET " + (rows - 1) + " LIMIT 1",
            parameters, cancellationToken).ConfigureAwait(false);
        return new PgKeyRange(after, upper.Count == 0 ? null : upper[0].Select(v => (string)v!).ToArray());
    }

    /// <summary>The original's key columns in their text form, the select list of a bound query.</summary>
    public static string KeyText(PgSql sql, PgGhostTable table) => string.Join(", ", table.Key.Select(k => sql.Quote(k.SourceName) + "::text"));

    /// <summary>
    /// The original's key columns for ORDER BY, qualified by the table: a bare name there names the
    /// select list's <c>key::text</c> column of the same name, which sorted keys as text (10 before 2)
    /// and every range query by a full sort instead of the key's index.
    /// </summary>
    public static string KeyOrder(PgSql sql, PgGhostTable table, string direction) =>
        string.Join(", ", table.Key.Select(k => sql.Quote(table.Original) + "." + sql.Quote(k.SourceName) + direction));

    /// <summary>
    /// The condition selecting this range on the original, or on the shadow (bounds converted like the values);
    /// without <paramref name="parameters"/> the bounds are written as literals (a COPY statement takes no parameters).
    /// </summary>
    public string Where(PgSql sql, PgGhostTable table, bool onShadow, List<object?>? parameters)
    {
        var keys = table.Key.Select(k => sql.Quote(onShadow ? k.Name : k.SourceName)).ToList();
        var bound = parameters ?? new List<object?>();
        Func<int, string> placeholder = parameters is null ? n => sql.Writer.QuoteLiteral((string)bound[n - 1]!) : n => "$" + n;
        var style = new KeyStyle(placeholder, (i, p) => onShadow ? PgCopyExpressions.Convert(table.Key[i], p) : PgCopyExpressions.SourceValue(table.Key[i], p), RowComparison: true);
        var conditions = new List<string>();
        if (After is not null)
        {
            conditions.Add(style.Compare(keys, After, ">", bound));
        }

        if (UpTo is not null)
        {
            conditions.Add(style.Compare(keys, UpTo, "<=", bound));
        }

        return conditions.Count == 0 ? "TRUE" : string.Join(" AND ", conditions);
    }
}
