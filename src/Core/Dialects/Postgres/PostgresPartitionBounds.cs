using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace SchemaBuild.Core.Dialects.Postgres;

/// <summary>
/// Partition bounds on date and time keys in the server's spelling: <c>FROM ('2024-01-01')</c> on a
/// <c>timestamp</c> key reads back as <c>FROM ('2024-01-01 00:00:00')</c>, on a <c>timestamptz</c>
/// key as <c>('2024-01-01 00:00:00+00')</c> (UTC, the sessions' time zone here), on a <c>date</c> key
/// <c>'2024-01-01 00:00'</c> as <c>'2024-01-01'</c>. Other values are kept as written.
/// </summary>
internal static class PostgresPartitionBounds
{
    private static readonly Regex Offset = new(@"(?:\s*(?<z>Z|UTC)|(?<sign>[+-])(?<h>\d{1,2})(?::?(?<m>\d{2}))?)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private static readonly string[] Formats =
    {
        "yyyy-MM-dd", "yyyy-M-d", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFF",
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFF", "yyyy-M-d H:mm", "yyyy-M-d H:mm:ss",
    };

    /// <param name="bound"><c>FOR VALUES FROM (...) TO (...)</c>, <c>FOR VALUES IN (...)</c>, or anything else (kept).</param>
    /// <param name="keyTypes">The canonical type of each partition key part; null for an expression key.</param>
    public static string Canonical(string bound, IReadOnlyList<string?> keyTypes)
    {
        if (!keyTypes.Any(IsDateTime))
        {
            return bound;
        }

        const string range = "FOR VALUES FROM (";
        const string list = "FOR VALUES IN (";
        if (bound.StartsWith(range, StringComparison.Ordinal))
        {
            var to = bound.IndexOf(") TO (", range.Length, StringComparison.Ordinal);
            if (to < 0 || !bound.EndsWith(")", StringComparison.Ordinal))
            {
                return bound;
            }

            var from = Values(bound.Substring(range.Length, to - range.Length), i => i < keyTypes.Count ? keyTypes[i] : null);
            var upper = Values(bound.Substring(to + 6, bound.Length - to - 7), i => i < keyTypes.Count ? keyTypes[i] : null);
            return from is null || upper is null ? bound : range + from + ") TO (" + upper + ")";
        }

        if (bound.StartsWith(list, StringComparison.Ordinal) && bound.EndsWith(")", StringComparison.Ordinal) && keyTypes.Count == 1)
        {
            var values = Values(bound.Substring(list.Length, bound.Length - list.Length - 1), _ => keyTypes[0]);
            return values is null ? bound : list + values + ")";
        }

        return bound;
    }

    private static bool IsDateTime(string? type) => type is "date" or "timestamp without time zone" or "timestamp with time zone";

    /// <summary>A bound's value list with each date/time literal in the server's spelling; null when it does not split cleanly.</summary>
    private static string? Values(string text, Func<int, string?> typeAt)
    {
        var values = Split(text);
        if (values is null)
        {
            return null;
        }

        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            if (value.Length >= 2 && value[0] == '\'' && value[value.Length - 1] == '\'' && IsDateTime(typeAt(i)))
            {
                var literal = value.Substring(1, value.Length - 2);
                if (literal.IndexOf('\'') < 0 && Spell(literal, typeAt(i)!) is { } spelled)
                {
                    values[i] = "'" + spelled + "'";
                }
            }
        }

        return string.Join(", ", values);
    }

    /// <summary>Splits a value list at its top-level commas (quoted commas stay); null on an unterminated quote.</summary>
    private static List<string>? Split(string text)
    {
        var values = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        foreach (var c in text)
        {
            if (c == '\'')
            {
                quoted = !quoted;
            }

            if (c == ',' && !quoted)
            {
                values.Add(current.ToString().Trim());
                current.Clear();
                continue;
            }

            current.Append(c);
        }

        values.Add(current.ToString().Trim());
        return quoted ? null : values;
    }

    /// <summary>The server's output for a literal of <paramref name="type"/>; null for what this does not read (infinity, BC dates, ...).</summary>
    private static string? Spell(string literal, string type)
    {
        var text = literal.Trim();
        var offset = TimeSpan.Zero;
        if (type != "date" && Offset.Match(text) is { Success: true } zone && zone.Index > 10)
        {
            if (!zone.Groups["z"].Success)
            {
                var hours = int.Parse(zone.Groups["h"].Value, CultureInfo.InvariantCulture);
                var minutes = zone.Groups["m"].Success ? int.Parse(zone.Groups["m"].Value, CultureInfo.InvariantCulture) : 0;
                offset = new TimeSpan(hours, minutes, 0);
                offset = zone.Groups["sign"].Value == "-" ? offset.Negate() : offset;
            }

            if (type == "timestamp without time zone")
            {
                // The server ignores a zone written on a timestamp without one.
                offset = TimeSpan.Zero;
            }

            text = text.Substring(0, zone.Index).TrimEnd();
        }

        if (!DateTime.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return null;
        }

        if (type == "date")
        {
            // The server drops a time written on a date.
            return time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        time -= offset;
        var spelled = time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var fraction = time.Ticks % TimeSpan.TicksPerSecond;
        if (fraction != 0)
        {
            spelled += "." + (fraction / 10).ToString("000000", CultureInfo.InvariantCulture).TrimEnd('0');
        }

        return type == "timestamp with time zone" ? spelled + "+00" : spelled;
    }
}
