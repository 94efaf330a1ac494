using System;
using System.Collections.Generic;
using System.Text;
using SchemaBuild.MySqlReplication.Protocol;
using SchemaBuild.MySqlReplication.Results;

namespace SchemaBuild.MySqlReplication.Binlog;

/// <summary>
/// Decodes row images (the storage-format values inside WRITE/UPDATE/DELETE_ROWS)
/// into the same .NET values the text and binary protocols produce, using the
/// column layout from TABLE_MAP. Temporal values without a time zone are read as
/// written; TIMESTAMP values are UTC (the binlog stores epoch seconds).
/// </summary>
internal static class RowImageDecoder
{
    public static object?[] ReadRow(ref PacketReader r, IReadOnlyList<BinlogColumn> columns, ReadOnlySpan<byte> present, int presentCount)
    {
        var values = new object?[columns.Count];
        var nulls = r.ReadBytes((presentCount + 7) / 8);
        int nullIndex = 0;
        for (int i = 0; i < columns.Count; i++)
        {
            if ((present[i >> 3] & (1 << (i & 7))) == 0) continue;
            bool isNull = (nulls[nullIndex >> 3] & (1 << (nullIndex & 7))) != 0;
            nullIndex++;
            if (!isNull) values[i] = ReadValue(ref r, columns[i]);
        }
        return values;
    }

    public static object ReadValue(ref PacketReader r, BinlogColumn column)
    {
        bool unsigned = column.IsUnsigned;
        int meta = column.Metadata;
        switch (column.RealType)
        {
            case MySqlColumnType.Tiny:
                return unsigned ? r.ReadByte() : (sbyte)r.ReadByte();
            case MySqlColumnType.Short:
                return unsigned ? r.ReadUInt16() : (short)r.ReadUInt16();
            case MySqlColumnType.Int24:
            {
                uint v = r.ReadUInt24();
                return unsigned ? v : (int)(v << 8) >> 8;
            }
            case MySqlColumnType.Long:
                return unsigned ? r.ReadUInt32() : (int)r.ReadUInt32();
            case MySqlColumnType.LongLong:
                return unsigned ? r.ReadUInt64() : (long)r.ReadUInt64();
            case MySqlColumnType.Float:
                return BitConverter.UInt32BitsToSingle(r.ReadUInt32());
            case MySqlColumnType.Double:
                return BitConverter.UInt64BitsToDouble(r.ReadUInt64());
            case MySqlColumnType.Year:
            {
                byte y = r.ReadByte();
                return y == 0 ? 0 : 1900 + y;
            }
            case MySqlColumnType.NewDecimal:
            {
                int precision = meta >> 8, scale = meta & 0xFF;
                var bytes = r.ReadBytes(BinaryDecimal.Size(precision, scale));
                return BinaryDecimal.Decode(bytes, precision, scale);
            }
            case MySqlColumnType.Date or MySqlColumnType.NewDate:
            {
                uint v = r.ReadUInt24();
                int day = (int)(v & 31), month = (int)((v >> 5) & 15), year = (int)(v >> 9);
                return year == 0 || month == 0 || day == 0 ? DateOnly.MinValue : new DateOnly(year, month, day);
            }
            case MySqlColumnType.Time:
            {
                int v = (int)(r.ReadUInt24() << 8) >> 8;
                int abs = Math.Abs(v);
                var ts = new TimeSpan(abs / 10000, abs / 100 % 100, abs % 100);
                return v < 0 ? -ts : ts;
            }
            case MySqlColumnType.DateTime:
            {
                ulong v = r.ReadUInt64();
                if (v == 0) return DateTime.MinValue;
                ulong date = v / 1_000_000, time = v % 1_000_000;
                return new DateTime((int)(date / 10000), (int)(date / 100 % 100), (int)(date % 100), (int)(time / 10000), (int)(time / 100 % 100), (int)(time % 100));
            }
            case MySqlColumnType.Timestamp:
            {
                uint seconds = r.ReadUInt32();
                return seconds == 0 ? DateTime.MinValue : DateTime.SpecifyKind(DateTime.UnixEpoch.AddSeconds(seconds), DateTimeKind.Unspecified);
            }
            case MySqlColumnType.Timestamp2:
            {
                uint seconds = (uint)r.ReadBigEndian(4);
                int micro = ReadFraction(ref r, meta);
                return seconds == 0 && micro == 0
                    ? DateTime.MinValue
                    : DateTime.SpecifyKind(DateTime.UnixEpoch.AddSeconds(seconds).AddTicks(micro * 10L), DateTimeKind.Unspecified);
            }
            case MySqlColumnType.DateTime2:
            {
                // 1 bit sign, 17 bits year*13+month, 5 bits day, 5 bits hour, 6 bits minute, 6 bits second.
                long packed = (long)r.ReadBigEndian(5) - 0x80_0000_0000L;
                int micro = ReadFraction(ref r, meta);
                long ymd = packed >> 17, hms = packed & 0x1FFFF;
                long ym = ymd >> 5;
                int year = (int)(ym / 13), month = (int)(ym % 13), day = (int)(ymd & 31);
                if (year == 0 || month == 0 || day == 0) return DateTime.MinValue;
                return new DateTime(year, month, day, (int)(hms >> 12), (int)((hms >> 6) & 63), (int)(hms & 63)).AddTicks(micro * 10L);
            }
            case MySqlColumnType.Time2:
                return ReadTime2(ref r, meta);
            case MySqlColumnType.Bit:
            {
                int bits = (meta >> 8) + (meta & 0xFF) * 8;
                return r.ReadBigEndian((bits + 7) / 8);
            }
            case MySqlColumnType.Enum:
            {
                int index = (int)r.ReadFixed(meta & 0xFF);
                var names = column.EnumValues;
                if (names is null) return index;
                if (index == 0) return "";
                return index <= names.Count ? names[index - 1] : throw new MySqlProtocolException("ENUM index out of range.");
            }
            case MySqlColumnType.Set:
            {
                ulong bits = r.ReadFixed(meta & 0xFF);
                var names = column.SetValues;
                if (names is null) return bits;
                var sb = new StringBuilder();
                for (int i = 0; i < names.Count && i < 64; i++)
                {
                    if ((bits & (1UL << i)) == 0) continue;
                    if (sb.Length > 0) sb.Append(',');
                    sb.Append(names[i]);
                }
                return sb.ToString();
            }
            case MySqlColumnType.String or MySqlColumnType.VarChar or MySqlColumnType.VarString:
            {
                int length = meta < 256 ? r.ReadByte() : r.ReadUInt16();
                return Text(r.ReadBytes(length), column);
            }
            case MySqlColumnType.Blob or MySqlColumnType.TinyBlob or MySqlColumnType.MediumBlob or MySqlColumnType.LongBlob
                or MySqlColumnType.Geometry or MySqlColumnType.Json:
            {
                ulong length = r.ReadFixed(meta);
                if (length > int.MaxValue) throw new MySqlProtocolException("BLOB length is too large.");
                var bytes = r.ReadBytes((int)length);
                return column.RealType switch
                {
                    MySqlColumnType.Geometry => bytes.ToArray(),
                    MySqlColumnType.Json => JsonBinaryDecoder.Decode(bytes),
                    _ => Text(bytes, column),
                };
            }
            default:
                throw new MySqlProtocolException($"Cannot decode binlog column type {column.RealType}.");
        }
    }

    /// <summary>Text for character columns; bytes for binary ones and when the collation is unknown.</summary>
    private static object Text(ReadOnlySpan<byte> bytes, BinlogColumn column) =>
        column.Collation is { } collation && CharsetEncodings.For(collation) is { } encoding ? encoding.GetString(bytes) : bytes.ToArray();

    /// <summary>Fractional seconds of DATETIME2/TIMESTAMP2/TIME2: (fsp+1)/2 big-endian bytes.</summary>
    private static int ReadFraction(ref PacketReader r, int fsp) => fsp switch
    {
        0 => 0,
        1 or 2 => (int)r.ReadBigEndian(1) * 10000,
        3 or 4 => (int)r.ReadBigEndian(2) * 100,
        5 or 6 => (int)r.ReadBigEndian(3),
        _ => throw new MySqlProtocolException("Invalid fractional seconds precision."),
    };

    /// <summary>TIME2: 3 bytes (sign, hours, minutes, seconds) plus fraction, all offset so negatives sort first.</summary>
    private static TimeSpan ReadTime2(ref PacketReader r, int fsp)
    {
        long packed;
        switch (fsp)
        {
            case 0:
                packed = ((long)r.ReadBigEndian(3) - 0x800000L) << 24;
                break;
            case 1 or 2:
            {
                long intPart = (long)r.ReadBigEndian(3) - 0x800000L;
                long frac = r.ReadByte(); // unsigned: negatives store the fraction counted from the next second
                if (intPart < 0 && frac != 0)
                {
                    intPart++;
                    frac -= 0x100;
                }
                packed = (intPart << 24) + frac * 10000;
                break;
            }
            case 3 or 4:
            {
                long intPart = (long)r.ReadBigEndian(3) - 0x800000L;
                long frac = (long)r.ReadBigEndian(2);
                if (intPart < 0 && frac != 0)
                {
                    intPart++;
                    frac -= 0x10000;
                }
                packed = (intPart << 24) + frac * 100;
                break;
            }
            case 5 or 6:
                packed = (long)r.ReadBigEndian(6) - 0x8000_0000_0000L;
                break;
            default:
                throw new MySqlProtocolException("Invalid TIME2 precision.");
        }
        bool negative = packed < 0;
        if (negative) packed = -packed;
        long hms = packed >> 24;
        long micro = packed & 0xFFFFFF;
        long hours = (hms >> 12) & 0x3FF, minutes = (hms >> 6) & 0x3F, seconds = hms & 0x3F;
        long ticks = ((hours * 3600 + minutes * 60 + seconds) * 1_000_000 + micro) * 10;
        return new TimeSpan(negative ? -ticks : ticks);
    }
}
