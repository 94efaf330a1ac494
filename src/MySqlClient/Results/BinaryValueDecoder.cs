using System;
using System.Buffers.Binary;
using SchemaBuild.MySqlClient.Protocol;

namespace SchemaBuild.MySqlClient.Results;

/// <summary>Binary-protocol (prepared statement) row layout and value decoding.</summary>
internal static class BinaryValueDecoder
{
    /// <summary>Length of the value at <paramref name="offset"/> and where its bytes start.</summary>
    public static (int Start, int Length) Locate(ReadOnlySpan<byte> row, int offset, MySqlColumnType type)
    {
        switch (type)
        {
            case MySqlColumnType.Tiny:
                return (offset, 1);
            case MySqlColumnType.Short or MySqlColumnType.Year:
                return (offset, 2);
            case MySqlColumnType.Long or MySqlColumnType.Int24 or MySqlColumnType.Float:
                return (offset, 4);
            case MySqlColumnType.LongLong or MySqlColumnType.Double:
                return (offset, 8);
            case MySqlColumnType.Date or MySqlColumnType.NewDate or MySqlColumnType.DateTime or MySqlColumnType.Timestamp
                or MySqlColumnType.Time or MySqlColumnType.DateTime2 or MySqlColumnType.Timestamp2 or MySqlColumnType.Time2:
                if (offset >= row.Length) throw MySqlProtocolException.Truncated();
                return (offset + 1, row[offset]);
            default:
                var r = new PacketReader(row) { Position = offset };
                int length = r.ReadLengthEncodedInt32();
                return (r.Position, length);
        }
    }

    public static object Decode(ReadOnlySpan<byte> v, MySqlColumn column)
    {
        bool unsigned = column.IsUnsigned;
        switch (column.Type)
        {
            case MySqlColumnType.Tiny:
                return unsigned ? v[0] : (sbyte)v[0];
            case MySqlColumnType.Short:
                return unsigned ? BinaryPrimitives.ReadUInt16LittleEndian(v) : BinaryPrimitives.ReadInt16LittleEndian(v);
            case MySqlColumnType.Year:
                return (int)BinaryPrimitives.ReadUInt16LittleEndian(v);
            case MySqlColumnType.Long or MySqlColumnType.Int24:
                return unsigned ? BinaryPrimitives.ReadUInt32LittleEndian(v) : BinaryPrimitives.ReadInt32LittleEndian(v);
            case MySqlColumnType.LongLong:
                return unsigned ? BinaryPrimitives.ReadUInt64LittleEndian(v) : BinaryPrimitives.ReadInt64LittleEndian(v);
            case MySqlColumnType.Float:
                return BinaryPrimitives.ReadSingleLittleEndian(v);
            case MySqlColumnType.Double:
                return BinaryPrimitives.ReadDoubleLittleEndian(v);
            case MySqlColumnType.Date or MySqlColumnType.NewDate:
                var dt = ReadDateTime(v);
                return dt == DateTime.MinValue ? DateOnly.MinValue : DateOnly.FromDateTime(dt);
            case MySqlColumnType.DateTime or MySqlColumnType.Timestamp or MySqlColumnType.DateTime2 or MySqlColumnType.Timestamp2:
                return ReadDateTime(v);
            case MySqlColumnType.Time or MySqlColumnType.Time2:
                return ReadTime(v);
            case MySqlColumnType.Bit:
                return TextValueDecoder.BigEndianBits(v);
            case MySqlColumnType.Decimal or MySqlColumnType.NewDecimal or MySqlColumnType.Json or MySqlColumnType.Geometry
                or MySqlColumnType.Null:
                return TextValueDecoder.Decode(v, column);
            default:
                return TextValueDecoder.DecodeString(v, column.CharacterSet);
        }
    }

    public static DateTime ReadDateTime(ReadOnlySpan<byte> v)
    {
        if (v.Length == 0) return DateTime.MinValue;
        if (v.Length < 4) throw MySqlProtocolException.Truncated();
        int year = BinaryPrimitives.ReadUInt16LittleEndian(v);
        int month = v[2], day = v[3];
        if (year == 0 || month == 0 || day == 0) return DateTime.MinValue;
        int hour = 0, minute = 0, second = 0, micro = 0;
        if (v.Length >= 7)
        {
            hour = v[4];
            minute = v[5];
            second = v[6];
        }
        if (v.Length >= 11) micro = BinaryPrimitives.ReadInt32LittleEndian(v.Slice(7));
        return new DateTime(year, month, day, hour, minute, second).AddTicks(micro * 10L);
    }

    public static TimeSpan ReadTime(ReadOnlySpan<byte> v)
    {
        if (v.Length == 0) return TimeSpan.Zero;
        if (v.Length < 8) throw MySqlProtocolException.Truncated();
        bool negative = v[0] != 0;
        long days = BinaryPrimitives.ReadUInt32LittleEndian(v.Slice(1));
        long micro = v.Length >= 12 ? BinaryPrimitives.ReadUInt32LittleEndian(v.Slice(8)) : 0;
        long ticks = (((days * 24 + v[5]) * 60 + v[6]) * 60 + v[7]) * TimeSpan.TicksPerSecond + micro * 10;
        return new TimeSpan(negative ? -ticks : ticks);
    }
}
