using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Engines.MySql.Online;

/// <summary>
/// Predicates over a (possibly composite) copy key, written as OR-ed prefixes rather than row
/// constructors so MariaDB's range optimizer uses the key's index; values always go as parameters.
/// </summary>
internal static class KeySql
{
    /// <summary>OR-ed prefixes with <c>?</c> placeholders (see <see cref="KeyStyle"/>).</summary>
    private static readonly KeyStyle Style = new(_ => "?", (_, placeholder) => placeholder, RowComparison: false);

    /// <summary><c>key &gt; after</c> (<c>1 = 1</c> when <paramref name="after"/> is null).</summary>
    public static string Above(IReadOnlyList<string> columns, RowKey? after, List<object?> parameters) =>
        after is null ? "1 = 1" : Style.Compare(columns, after.Values, ">", parameters);

    /// <summary><c>key &lt;= upTo</c>.</summary>
    public static string AtMost(IReadOnlyList<string> columns, RowKey upTo, List<object?> parameters) =>
        Style.Compare(columns, upTo.Values, "<=", parameters);

    /// <summary><c>key IN (keys)</c> as <c>c IN (?, …)</c> for one column, OR-ed equalities otherwise.</summary>
    public static string In(IReadOnlyList<string> columns, IReadOnlyCollection<RowKey> keys, List<object?> parameters)
    {
        if (columns.Count == 1)
        {
            parameters.AddRange(keys.Select(k => k.Values[0]));
            return columns[0] + " IN (" + string.Join(", ", keys.Select(_ => "?")) + ")";
        }

        var parts = new List<string>();
        foreach (var key in keys)
        {
            parameters.AddRange(key.Values);
            parts.Add("(" + string.Join(" AND ", columns.Select(c => c + " = ?")) + ")");
        }

        return "(" + string.Join(" OR ", parts) + ")";
    }

    public static string OrderBy(IReadOnlyList<string> columns, bool descending = false) =>
        string.Join(", ", columns.Select(c => descending ? c + " DESC" : c));
}
