using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace SchemaBuild.Runtime.Online.Roles;

/// <summary>
/// The values of one row's copy key (primary key or a non-null unique key), in key column order, as
/// the driver returns them. Stored in the control table as JSON with a type tag per value, so a
/// resume reads back exactly the values it wrote.
/// </summary>
internal sealed class RowKey : IEquatable<RowKey>
{
    public RowKey(IReadOnlyList<object?> values) => Values = values;

    public IReadOnlyList<object?> Values { get; }

    /// <summary>
    /// Orders two keys when every value is an integer (the common case: comparing in .NET agrees with
    /// the server). Null when the order is the server's business (strings under a collation, dates):
    /// callers then treat the key as possibly below the watermark.
    /// </summary>
    public static int? CompareIntegers(RowKey a, RowKey b)
    {
        if (a.Values.Count != b.Values.Count)
        {
            return null;
        }

        for (var i = 0; i < a.Values.Count; i++)
        {
            if (!TryInteger(a.Values[i], out var x) || !TryInteger(b.Values[i], out var y))
            {
                return null;
            }

            var c = x.CompareTo(y);
            if (c != 0)
            {
                return c;
            }
        }

        return 0;
    }

    /// <summary>Whether <paramref name="value"/> is a driver integer, and its value.</summary>
    internal static bool TryInteger(object? value, out decimal number)
    {
        switch (value)
        {
            case sbyte or byte or short or ushort or int or uint or long or ulong:
                number = Convert.ToDecimal(value, CultureInfo.InvariantCulture);
                return true;
            default:
                number = 0;
                return false;
        }
    }

    public string ToJson()
    {
        var parts = Values.Select(v => v switch
        {
            null => new[] { "null", string.Empty },
            long l => new[] { "i", l.ToString(CultureInfo.InvariantCulture) },
            int i => new[] { "i", i.ToString(CultureInfo.InvariantCulture) },
            short s => new[] { "i", s.ToString(CultureInfo.InvariantCulture) },
            sbyte s => new[] { "i", s.ToString(CultureInfo.InvariantCulture) },
            byte b => new[] { "u", b.ToString(CultureInfo.InvariantCulture) },
            ushort u => new[] { "u", u.ToString(CultureInfo.InvariantCulture) },
            uint u => new[] { "u", u.ToString(CultureInfo.InvariantCulture) },
            ulong u => new[] { "u", u.ToString(CultureInfo.InvariantCulture) },
            decimal d => new[] { "d", d.ToString(CultureInfo.InvariantCulture) },
            string s => new[] { "s", s },
            byte[] bytes => new[] { "b", Convert.ToBase64String(bytes) },
            DateTime t => new[] { "t", t.ToString("o", CultureInfo.InvariantCulture) },
            DateOnly d => new[] { "date", d.ToString("O", CultureInfo.InvariantCulture) },
            TimeSpan t => new[] { "time", t.ToString("c", CultureInfo.InvariantCulture) },
            Guid g => new[] { "g", g.ToString() },
            _ => new[] { "s", Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty },
        });
        return JsonSerializer.Serialize(parts.ToArray());
    }

    public static RowKey FromJson(string json)
    {
        var parts = JsonSerializer.Deserialize<string[][]>(json) ?? throw new FormatException($"'{json}' is not a stored copy key");
        return new RowKey(parts.Select(p => (object?)(p[0] switch
        {
            "null" => null,
            "i" => long.Parse(p[1], CultureInfo.InvariantCulture),
            "u" => ulong.Parse(p[1], CultureInfo.InvariantCulture),
            "d" => decimal.Parse(p[1], CultureInfo.InvariantCulture),
            "s" => p[1],
            "b" => Convert.FromBase64String(p[1]),
            "t" => DateTime.Parse(p[1], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            "date" => DateOnly.Parse(p[1], CultureInfo.InvariantCulture),
            "time" => TimeSpan.Parse(p[1], CultureInfo.InvariantCulture),
            "g" => Guid.Parse(p[1]),
            _ => throw new FormatException($"'{json}' has an unknown value tag '{p[0]}'"),
        })).ToList());
    }

    public bool Equals(RowKey? other) => other is not null && other.Values.Count == Values.Count && Values.Zip(other.Values).All(p => ValueEquals(p.First, p.Second));

    public override bool Equals(object? obj) => Equals(obj as RowKey);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var value in Values)
        {
            hash.Add(value switch
            {
                null => 0,
                byte[] bytes => Convert.ToBase64String(bytes).GetHashCode(StringComparison.Ordinal),
                sbyte or byte or short or ushort or int or uint or long or ulong => Convert.ToDecimal(value, CultureInfo.InvariantCulture).GetHashCode(),
                string s => s.GetHashCode(StringComparison.Ordinal),
                _ => value.GetHashCode(),
            });
        }

        return hash.ToHashCode();
    }

    public override string ToString() => "(" + string.Join(", ", Values.Select(v => v is byte[] b ? "0x" + Convert.ToHexString(b) : Convert.ToString(v, CultureInfo.InvariantCulture) ?? "NULL")) + ")";

    private static bool ValueEquals(object? a, object? b)
    {
        if (a is byte[] x && b is byte[] y)
        {
            return x.AsSpan().SequenceEqual(y);
        }

        if (TryInteger(a, out var m) && TryInteger(b, out var n))
        {
            return m == n;
        }

        return Equals(a, b);
    }
}
