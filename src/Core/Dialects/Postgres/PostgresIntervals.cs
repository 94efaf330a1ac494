using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace SchemaBuild.Core.Dialects.Postgres;

/// <summary>
/// Interval constants in the server's output format (<c>IntervalStyle = postgres</c>): <c>'1 hour'</c> is
/// stored and printed as <c>01:00:00</c>, <c>'2 weeks'</c> as <c>14 days</c>. Only plain "number unit"
/// lists are understood; anything else is left as written.
/// </summary>
internal static class PostgresIntervals
{
    private static readonly Dictionary<string, (int Months, int Days, long Seconds)> Units = new()
    {
        ["year"] = (12, 0, 0), ["years"] = (12, 0, 0), ["y"] = (12, 0, 0),
        ["month"] = (1, 0, 0), ["months"] = (1, 0, 0), ["mon"] = (1, 0, 0), ["mons"] = (1, 0, 0),
        ["week"] = (0, 7, 0), ["weeks"] = (0, 7, 0), ["w"] = (0, 7, 0),
        ["day"] = (0, 1, 0), ["days"] = (0, 1, 0), ["d"] = (0, 1, 0),
        ["hour"] = (0, 0, 3600), ["hours"] = (0, 0, 3600), ["h"] = (0, 0, 3600),
        ["minute"] = (0, 0, 60), ["minutes"] = (0, 0, 60), ["min"] = (0, 0, 60), ["mins"] = (0, 0, 60), ["m"] = (0, 0, 60),
        ["second"] = (0, 0, 1), ["seconds"] = (0, 0, 1), ["sec"] = (0, 0, 1), ["secs"] = (0, 0, 1), ["s"] = (0, 0, 1),
    };

    public static string Canonical(string text)
    {
        var words = text.Trim().ToLowerInvariant().Split(new[] { ' ' }, System.StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || words.Length % 2 != 0)
        {
            return text;
        }

        long months = 0, days = 0, seconds = 0;
        for (var i = 0; i < words.Length; i += 2)
        {
            if (!long.TryParse(words[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var amount)
                || !Units.TryGetValue(words[i + 1], out var unit))
            {
                return text;
            }

            months += amount * unit.Months;
            days += amount * unit.Days;
            seconds += amount * unit.Seconds;
        }

        var parts = new List<string>();
        if (months / 12 != 0)
        {
            parts.Add(Plural(months / 12, "year", "years"));
        }

        if (months % 12 != 0)
        {
            parts.Add(Plural(months % 12, "mon", "mons"));
        }

        if (days != 0)
        {
            parts.Add(Plural(days, "day", "days"));
        }

        if (seconds != 0 || parts.Count == 0)
        {
            var sign = seconds < 0 ? "-" : string.Empty;
            var abs = System.Math.Abs(seconds);
            parts.Add(string.Format(CultureInfo.InvariantCulture, "{0}{1:00}:{2:00}:{3:00}", sign, abs / 3600, abs / 60 % 60, abs % 60));
        }

        return string.Join(" ", parts);
    }

    private static string Plural(long amount, string one, string many) =>
        amount.ToString(CultureInfo.InvariantCulture) + " " + (amount == 1 || amount == -1 ? one : many);
}
