using System;
using System.Collections.Generic;
using System.Linq;

namespace SchemaBuild.Runtime.Online;

/// <summary>
/// How an engine writes keyset predicates over a (possibly composite) copy key: its parameter
/// placeholder (<c>?</c> or <c>$n</c>), how a bound value is read (a cast on PostgreSQL, where keys
/// travel as text) and whether the key is compared as a row (<c>(a, b) &gt; ($1, $2)</c>, which
/// PostgreSQL's planner turns into an index range) or as OR-ed prefixes (which MariaDB's range
/// optimizer needs). Values always go as parameters.
/// </summary>
internal sealed record KeyStyle(Func<int, string> Placeholder, Func<int, string, string> Value, bool RowComparison)
{
    /// <summary><c>key op bound</c> for <c>&gt;</c>, <c>&gt;=</c>, <c>&lt;</c> or <c>&lt;=</c>; <paramref name="columns"/> are quoted.</summary>
    public string Compare(IReadOnlyList<string> columns, IReadOnlyList<object?> bound, string op, List<object?> parameters)
    {
        if (RowComparison)
        {
            return "(" + string.Join(", ", columns) + ") " + op + " (" + string.Join(", ", columns.Select((_, i) => Bind(i, bound[i], parameters))) + ")";
        }

        var strict = op.TrimEnd('=');
        var parts = new List<string>();
        for (var i = 0; i < columns.Count; i++)
        {
            var equalPrefix = Enumerable.Range(0, i).Select(j => columns[j] + " = " + Bind(j, bound[j], parameters)).ToList();
            equalPrefix.Add(columns[i] + " " + strict + " " + Bind(i, bound[i], parameters));
            parts.Add("(" + string.Join(" AND ", equalPrefix) + ")");
        }

        if (op.EndsWith('='))
        {
            parts.Add("(" + string.Join(" AND ", columns.Select((c, i) => c + " = " + Bind(i, bound[i], parameters)).ToList()) + ")");
        }

        return "(" + string.Join(" OR ", parts) + ")";
    }

    private string Bind(int column, object? value, List<object?> parameters)
    {
        parameters.Add(value);
        return Value(column, Placeholder(parameters.Count));
    }
}
