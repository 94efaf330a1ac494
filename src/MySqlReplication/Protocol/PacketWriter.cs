using System;
using System.Buffers.Binary;
using System.Text;

namespace SchemaBuild.MySqlReplication.Protocol;

/// <summary>
/// Builds one outgoing payload. The first four bytes are reserved for the packet
/// header so the common case (payload under 16 MiB) is sent with one write.
/// </summary>
internal sealed class PacketWriter
{
    public const int HeaderSize = 4;
    private byte[] _buffer;
    private int _length = HeaderSize;

    public PacketWriter(int capacity = 256) => _buffer = new byte[Math.Max(capacity, 16)];

    /// <summary>Payload length, excluding the reserved header.</summary>
    public int Length => _length - HeaderSize;

    internal byte[] RawBuffer => _buffer;

    public ReadOnlySpan<byte> Payload => _buffer.AsSpan(HeaderSize, _length - HeaderSize);

    public PacketWriter Reset()
    {
        _length = HeaderSize;
        return this;
    }

    private Span<byte> Grow(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }

    public PacketWriter WriteByte(byte value)
    {
        Grow(1)[0] = value;
        return this;
    }

    public PacketWriter WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(Grow(2), value);
        return this;
    }

    public PacketWriter WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(Grow(4), value);
        return this;
    }

    public PacketWriter WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(Grow(8), value);
        return this;
    }

    public PacketWriter WriteBytes(ReadOnlySpan<byte> value)
    {
        value.CopyTo(Grow(value.Length));
        return this;
    }

    public PacketWriter WriteZeros(int count)
    {
        Grow(count).Clear();
        return this;
    }

    public PacketWriter WriteString(string value)
    {
        int max = Encoding.UTF8.GetMaxByteCount(value.Length);
        var span = Grow(max);
        int written = Encoding.UTF8.GetBytes(value, span);
        _length -= max - written;
        return this;
    }

    public PacketWriter WriteNullTerminated(string value) => WriteString(value).WriteByte(0);

    public PacketWriter WriteLengthEncoded(ulong value)
    {
        if (value < 0xFB) return WriteByte((byte)value);
        if (value <= 0xFFFF) return WriteByte(0xFC).WriteUInt16((ushort)value);
        if (value <= 0xFFFFFF)
        {
            WriteByte(0xFD);
            var s = Grow(3);
            s[0] = (byte)value;
            s[1] = (byte)(value >> 8);
            s[2] = (byte)(value >> 16);
            return this;
        }
        return WriteByte(0xFE).WriteUInt64(value);
    }

    public PacketWriter WriteLengthEncodedBytes(ReadOnlySpan<byte> value) =>
        WriteLengthEncoded((ulong)value.Length).WriteBytes(value);

    public PacketWriter WriteLengthEncodedString(string value) =>
        WriteLengthEncodedBytes(Encoding.UTF8.GetBytes(value));
}
