using System;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace SchemaBuild.MySqlClient.Results;

/// <summary>Decodes text-protocol cell values into .NET values (see <see cref="MySqlDataReader.GetValue"/> for the mapping).</summary>
internal static class TextValueDecoder
{
    public static object Decode(ReadOnlySpan<byte> v, MySqlColumn column)
    {
        bool unsigned = column.IsUnsigned;
        return column.Type switch
        {
            MySqlColumnType.Tiny => unsigned ? (byte)ParseUInt64(v) : (sbyte)ParseInt64(v),
            MySqlColumnType.Short => unsigned ? (ushort)ParseUInt64(v) : (short)ParseInt64(v),
            MySqlColumnType.Int24 or MySqlColumnType.Long => unsigned ? (uint)ParseUInt64(v) : (int)ParseInt64(v),
            MySqlColumnType.LongLong => unsigned ? ParseUInt64(v) : ParseInt64(v),
            MySqlColumnType.Year => (int)ParseInt64(v),
            MySqlColumnType.Float => float.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
            MySqlColumnType.Double => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
            MySqlColumnType.Decimal or MySqlColumnType.NewDecimal => decimal.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
            MySqlColumnType.Date or MySqlColumnType.NewDate => ParseDate(v),
            MySqlColumnType.DateTime or MySqlColumnType.Timestamp or MySqlColumnType.DateTime2 or MySqlColumnType.Timestamp2 => ParseDateTime(v),
            MySqlColumnType.Time or MySqlColumnType.Time2 => ParseTime(v),
            MySqlColumnType.Bit => BigEndianBits(v),
            MySqlColumnType.Geometry => v.ToArray(),
            MySqlColumnType.Json => Encoding.UTF8.GetString(v),
            MySqlColumnType.Null => DBNull.Value,
            _ => DecodeString(v, column.CharacterSet),
        };
    }

    public static object DecodeString(ReadOnlySpan<byte> v, int collation) =>
        CharsetEncodings.For(collation) is { } encoding ? encoding.GetString(v) : v.ToArray();

    public static ulong BigEndianBits(ReadOnlySpan<byte> v)
    {
        if (v.Length > 8) throw new MySqlProtocolException("BIT value longer than 64 bits.");
        ulong result = 0;
        foreach (byte b in v) result = (result << 8) | b;
        return result;
    }

    public static long ParseInt64(ReadOnlySpan<byte> v) =>
        Utf8Parser.TryParse(v, out long value, out int consumed) && consumed == v.Length
            ? value
            : throw new MySqlProtocolException("Invalid integer in text row.");

    public static ulong ParseUInt64(ReadOnlySpan<byte> v) =>
        Utf8Parser.TryParse(v, out ulong value, out int consumed) && consumed == v.Length
            ? value
            : throw new MySqlProtocolException("Invalid unsigned integer in text row.");

    private static int Digits(ReadOnlySpan<byte> v, int start, int count)
    {
        if (start + count > v.Length) throw new MySqlProtocolException("Invalid temporal value in text row.");
        int n = 0;
        for (int i = start; i < start + count; i++)
        {
            int d = v[i] - '0';
            if ((uint)d > 9) throw new MySqlProtocolException("Invalid temporal value in text row.");
            n = n * 10 + d;
        }
        return n;
    }

    /// <summary>Zero dates ('0000-00-00') map to MinValue: .NET has no representation for them.</summary>
    public static DateOnly ParseDate(ReadOnlySpan<byte> v)
    {
        int y = Digits(v, 0, 4), m = Digits(v, 5, 2), d = Digits(v, 8, 2);
        return y == 0 || m == 0 || d == 0 ? DateOnly.MinValue : new DateOnly(y, m, d);
    }

    public static DateTime ParseDateTime(ReadOnlySpan<byte> v)
    {
        var date = ParseDate(v);
        if (date == DateOnly.MinValue) return DateTime.MinValue;
        int h = 0, mi = 0, s = 0, micro = 0;
        if (v.Length >= 19)
        {
            h = Digits(v, 11, 2);
            mi = Digits(v, 14, 2);
            s = Digits(v, 17, 2);
            if (v.Length > 20) micro = Fraction(v.Slice(20));
        }
        return date.ToDateTime(new TimeOnly(h, mi, s)).AddTicks(micro * 10L);
    }

    private static int Fraction(ReadOnlySpan<byte> digits)
    {
        int micro = Digits(digits, 0, Math.Min(digits.Length, 6));
        for (int i = digits.Length; i < 6; i++) micro *= 10;
        return micro;
    }

    public static TimeSpan ParseTime(ReadOnlySpan<byte> v)
    {
        bool negative = v.Length > 0 && v[0] == '-';
        if (negative) v = v.Slice(1);
        int colon = v.IndexOf((byte)':');
        if (colon < 1) throw new MySqlProtocolException("Invalid TIME value in text row.");
        int hours = Digits(v, 0, colon);
        int minutes = Digits(v, colon + 1, 2);
        int seconds = Digits(v, colon + 4, 2);
        int micro = v.Length > colon + 7 ? Fraction(v.Slice(colon + 7)) : 0;
        long ticks = ((hours * 3600L + minutes * 60L + seconds) * 1_000_000L + micro) * 10L;
        return new TimeSpan(negative ? -ticks : ticks);
    }
}
