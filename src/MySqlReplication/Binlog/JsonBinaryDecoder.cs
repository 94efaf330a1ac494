using System;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace SchemaBuild.MySqlReplication.Binlog;

/// <summary>
/// MySQL's binary JSON (the JSON column type in MySQL 5.7+ row images) to JSON
/// text in MySQL's own formatting (<c>{"a": 1, "b": [true, null]}</c>).
/// MariaDB stores JSON as text and never produces this format.
/// </summary>
internal static class JsonBinaryDecoder
{
    private const byte SmallObject = 0x00, LargeObject = 0x01, SmallArray = 0x02, LargeArray = 0x03, Literal = 0x04,
        Int16 = 0x05, UInt16 = 0x06, Int32 = 0x07, UInt32 = 0x08, Int64 = 0x09, UInt64 = 0x0A, Double = 0x0B, String = 0x0C, Opaque = 0x0F;

    public static string Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0) return "null"; // an empty value is how MySQL logs a JSON null in some versions
        var sb = new StringBuilder();
        WriteValue(sb, data[0], data.Slice(1), 0);
        return sb.ToString();
    }

    private static void Need(ReadOnlySpan<byte> data, int offset, int count)
    {
        if (offset < 0 || count < 0 || offset + count > data.Length) throw new MySqlProtocolException("Binary JSON value is truncated.");
    }

    private static void WriteValue(StringBuilder sb, byte type, ReadOnlySpan<byte> data, int depth)
    {
        if (depth > 100) throw new MySqlProtocolException("Binary JSON nesting is too deep.");
        switch (type)
        {
            case SmallObject or LargeObject:
                WriteContainer(sb, data, large: type == LargeObject, isObject: true, depth);
                break;
            case SmallArray or LargeArray:
                WriteContainer(sb, data, large: type == LargeArray, isObject: false, depth);
                break;
            case Literal:
                Need(data, 0, 1);
                sb.Append(data[0] switch { 0 => "null", 1 => "true", 2 => "false", _ => throw new MySqlProtocolException("Unknown JSON literal.") });
                break;
            case Int16: Need(data, 0, 2); sb.Append(BinaryPrimitives.ReadInt16LittleEndian(data)); break;
            case UInt16: Need(data, 0, 2); sb.Append(BinaryPrimitives.ReadUInt16LittleEndian(data)); break;
            case Int32: Need(data, 0, 4); sb.Append(BinaryPrimitives.ReadInt32LittleEndian(data)); break;
            case UInt32: Need(data, 0, 4); sb.Append(BinaryPrimitives.ReadUInt32LittleEndian(data)); break;
            case Int64: Need(data, 0, 8); sb.Append(BinaryPrimitives.ReadInt64LittleEndian(data)); break;
            case UInt64: Need(data, 0, 8); sb.Append(BinaryPrimitives.ReadUInt64LittleEndian(data)); break;
            case Double:
                Need(data, 0, 8);
                sb.Append(BinaryPrimitives.ReadDoubleLittleEndian(data).ToString("R", CultureInfo.InvariantCulture));
                break;
            case String:
            {
                int length = ReadVariableLength(data, out int used);
                Need(data, used, length);
                WriteString(sb, Encoding.UTF8.GetString(data.Slice(used, length)));
                break;
            }
            case Opaque:
            {
                Need(data, 0, 1);
                var fieldType = (MySqlColumnType)data[0];
                int length = ReadVariableLength(data.Slice(1), out int used);
                Need(data, 1 + used, length);
                var payload = data.Slice(1 + used, length);
                if (fieldType is MySqlColumnType.NewDecimal && payload.Length >= 2)
                {
                    sb.Append(BinaryDecimal.Decode(payload.Slice(2), payload[0], payload[1]).ToString(CultureInfo.InvariantCulture));
                }
                else
                {
                    WriteString(sb, "base64:type" + ((byte)fieldType).ToString(CultureInfo.InvariantCulture) + ":" + Convert.ToBase64String(payload));
                }
                break;
            }
            default:
                throw new MySqlProtocolException($"Unknown binary JSON type 0x{type:X2}.");
        }
    }

    private static void WriteContainer(StringBuilder sb, ReadOnlySpan<byte> data, bool large, bool isObject, int depth)
    {
        int offsetSize = large ? 4 : 2;
        Need(data, 0, 2 * offsetSize);
        int count = (int)ReadOffset(data, 0, large);
        int size = (int)ReadOffset(data, offsetSize, large);
        if (size > data.Length || count < 0 || count > size) throw new MySqlProtocolException("Binary JSON container size is invalid.");
        data = data.Slice(0, size);
        int keyEntrySize = offsetSize + 2;
        int valueEntrySize = 1 + offsetSize;
        int headerSize = 2 * offsetSize;
        int valueEntries = headerSize + (isObject ? count * keyEntrySize : 0);
        Need(data, 0, valueEntries + count * valueEntrySize);
        sb.Append(isObject ? '{' : '[');
        for (int i = 0; i < count; i++)
        {
            if (i > 0) sb.Append(", ");
            if (isObject)
            {
                int keyEntry = headerSize + i * keyEntrySize;
                int keyOffset = (int)ReadOffset(data, keyEntry, large);
                int keyLength = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(keyEntry + offsetSize));
                Need(data, keyOffset, keyLength);
                WriteString(sb, Encoding.UTF8.GetString(data.Slice(keyOffset, keyLength)));
                sb.Append(": ");
            }
            int entry = valueEntries + i * valueEntrySize;
            byte type = data[entry];
            bool inlined = type is Literal or Int16 or UInt16 || (large && type is Int32 or UInt32);
            if (inlined)
            {
                WriteValue(sb, type, data.Slice(entry + 1, offsetSize), depth + 1);
            }
            else
            {
                int valueOffset = (int)ReadOffset(data, entry + 1, large);
                if (valueOffset >= data.Length) throw new MySqlProtocolException("Binary JSON offset is out of range.");
                WriteValue(sb, type, data.Slice(valueOffset), depth + 1);
            }
        }
        sb.Append(isObject ? '}' : ']');
    }

    private static uint ReadOffset(ReadOnlySpan<byte> data, int at, bool large) =>
        large ? BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(at)) : BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(at));

    /// <summary>Lengths use 7 bits per byte, low bits first, high bit = more bytes follow.</summary>
    private static int ReadVariableLength(ReadOnlySpan<byte> data, out int used)
    {
        int length = 0;
        for (int i = 0; i < 5; i++)
        {
            Need(data, i, 1);
            byte b = data[i];
            length |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                used = i + 1;
                if (length < 0) break;
                return length;
            }
        }
        throw new MySqlProtocolException("Invalid length in binary JSON.");
    }

    private static void WriteString(StringBuilder sb, string value)
    {
        sb.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
