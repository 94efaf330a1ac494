using System;
using System.Globalization;
using System.Text;

namespace SchemaBuild.MySqlReplication.Binlog;

/// <summary>
/// DECIMAL in its binary storage form: base-10^9 groups of 4 big-endian bytes,
/// with shorter leading/trailing groups for the leftover digits, the sign in the
/// top bit of the first byte (flipped), and every byte inverted for negatives.
/// </summary>
internal static class BinaryDecimal
{
    private static readonly int[] BytesForDigits = { 0, 1, 1, 2, 2, 3, 3, 4, 4, 4 };

    public static int Size(int precision, int scale)
    {
        int integral = precision - scale;
        return integral / 9 * 4 + BytesForDigits[integral % 9] + scale / 9 * 4 + BytesForDigits[scale % 9];
    }

    public static decimal Decode(ReadOnlySpan<byte> source, int precision, int scale)
    {
        if (precision <= 0 || precision > 65 || scale < 0 || scale > precision || scale > 30) throw new MySqlProtocolException("Invalid DECIMAL precision or scale.");
        int size = Size(precision, scale);
        if (source.Length < size) throw MySqlProtocolException.Truncated();
        Span<byte> b = stackalloc byte[size];
        source.Slice(0, size).CopyTo(b);
        bool negative = (b[0] & 0x80) == 0;
        b[0] ^= 0x80;
        if (negative)
        {
            for (int i = 0; i < size; i++) b[i] = (byte)~b[i];
        }
        int integral = precision - scale;
        var text = new StringBuilder(precision + 3);
        if (negative) text.Append('-');
        int pos = 0;
        int leading = BytesForDigits[integral % 9];
        text.Append(ReadGroup(b, ref pos, leading).ToString(CultureInfo.InvariantCulture));
        for (int g = 0; g < integral / 9; g++) text.Append(ReadGroup(b, ref pos, 4).ToString("D9", CultureInfo.InvariantCulture));
        if (scale > 0)
        {
            text.Append('.');
            for (int g = 0; g < scale / 9; g++) text.Append(ReadGroup(b, ref pos, 4).ToString("D9", CultureInfo.InvariantCulture));
            int trailingDigits = scale % 9;
            if (trailingDigits > 0)
            {
                text.Append(ReadGroup(b, ref pos, BytesForDigits[trailingDigits]).ToString("D" + trailingDigits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
            }
        }
        return decimal.Parse(text.ToString(), NumberStyles.Number, CultureInfo.InvariantCulture);
    }

    private static uint ReadGroup(ReadOnlySpan<byte> b, ref int pos, int bytes)
    {
        uint v = 0;
        for (int i = 0; i < bytes; i++) v = (v << 8) | b[pos + i];
        pos += bytes;
        if (v > 999_999_999) throw new MySqlProtocolException("Invalid DECIMAL digit group.");
        return v;
    }
}
