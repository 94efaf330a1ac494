using System;
using System.Buffers.Binary;
using System.Text;

namespace SchemaBuild.MySqlReplication.Protocol;

/// <summary>
/// Forward-only cursor over one packet payload. Every read is bounds-checked so a
/// malformed packet surfaces as <see cref="MySqlProtocolException"/>, never as an
/// index exception deep inside a decoder.
/// </summary>
internal ref struct PacketReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _pos;

    public PacketReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _pos = 0;
    }

    public int Position
    {
        readonly get => _pos;
        set
        {
            if ((uint)value > (uint)_data.Length) throw MySqlProtocolException.Truncated();
            _pos = value;
        }
    }

    public readonly int Remaining => _data.Length - _pos;
    public readonly bool AtEnd => _pos >= _data.Length;
    public readonly ReadOnlySpan<byte> Data => _data;

    private void Need(int count)
    {
        if (count < 0 || _data.Length - _pos < count) throw MySqlProtocolException.Truncated();
    }

    public readonly byte PeekByte()
    {
        if (_pos >= _data.Length) throw MySqlProtocolException.Truncated();
        return _data[_pos];
    }

    public byte ReadByte()
    {
        Need(1);
        return _data[_pos++];
    }

    public ushort ReadUInt16()
    {
        Need(2);
        ushort v = BinaryPrimitives.ReadUInt16LittleEndian(_data.Slice(_pos));
        _pos += 2;
        return v;
    }

    public uint ReadUInt24()
    {
        Need(3);
        uint v = (uint)(_data[_pos] | (_data[_pos + 1] << 8) | (_data[_pos + 2] << 16));
        _pos += 3;
        return v;
    }

    public uint ReadUInt32()
    {
        Need(4);
        uint v = BinaryPrimitives.ReadUInt32LittleEndian(_data.Slice(_pos));
        _pos += 4;
        return v;
    }

    public ulong ReadUInt48()
    {
        Need(6);
        ulong v = BinaryPrimitives.ReadUInt32LittleEndian(_data.Slice(_pos)) | ((ulong)BinaryPrimitives.ReadUInt16LittleEndian(_data.Slice(_pos + 4)) << 32);
        _pos += 6;
        return v;
    }

    public ulong ReadUInt64()
    {
        Need(8);
        ulong v = BinaryPrimitives.ReadUInt64LittleEndian(_data.Slice(_pos));
        _pos += 8;
        return v;
    }

    /// <summary>Little-endian unsigned integer of 1..8 bytes.</summary>
    public ulong ReadFixed(int bytes)
    {
        Need(bytes);
        ulong v = 0;
        for (int i = bytes - 1; i >= 0; i--) v = (v << 8) | _data[_pos + i];
        _pos += bytes;
        return v;
    }

    /// <summary>Big-endian unsigned integer of 0..8 bytes (binlog temporal and BIT values).</summary>
    public ulong ReadBigEndian(int bytes)
    {
        Need(bytes);
        ulong v = 0;
        for (int i = 0; i < bytes; i++) v = (v << 8) | _data[_pos + i];
        _pos += bytes;
        return v;
    }

    public ulong ReadLengthEncoded()
    {
        byte first = ReadByte();
        return first switch
        {
            < 0xFB => first,
            0xFC => ReadUInt16(),
            0xFD => ReadUInt24(),
            0xFE => ReadUInt64(),
            _ => throw new MySqlProtocolException($"Invalid length-encoded integer prefix 0x{first:X2}."),
        };
    }

    /// <summary>Length-encoded integer where 0xFB means SQL NULL (text rows).</summary>
    public long ReadLengthEncodedOrNull()
    {
        if (PeekByte() == 0xFB)
        {
            _pos++;
            return -1;
        }
        return CheckedLength(ReadLengthEncoded());
    }

    public int ReadLengthEncodedInt32() => CheckedLength(ReadLengthEncoded());

    private static int CheckedLength(ulong value) =>
        value > int.MaxValue ? throw new MySqlProtocolException("Length-encoded value is too large.") : (int)value;

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        Need(count);
        var s = _data.Slice(_pos, count);
        _pos += count;
        return s;
    }

    public void Skip(int count)
    {
        Need(count);
        _pos += count;
    }

    public ReadOnlySpan<byte> ReadLengthEncodedBytes() => ReadBytes(ReadLengthEncodedInt32());

    public string ReadLengthEncodedString() => Encoding.UTF8.GetString(ReadLengthEncodedBytes());

    public ReadOnlySpan<byte> ReadNullTerminated()
    {
        int end = _data.Slice(_pos).IndexOf((byte)0);
        if (end < 0) throw new MySqlProtocolException("Missing NUL terminator in packet.");
        var s = _data.Slice(_pos, end);
        _pos += end + 1;
        return s;
    }

    public string ReadNullTerminatedString() => Encoding.UTF8.GetString(ReadNullTerminated());

    /// <summary>A string that runs to the end of the packet, or to a NUL if there is one.</summary>
    public string ReadStringToEndOrNull()
    {
        var rest = ReadRest();
        int nul = rest.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul >= 0 ? rest.Slice(0, nul) : rest);
    }

    public ReadOnlySpan<byte> ReadRest()
    {
        var s = _data.Slice(_pos);
        _pos = _data.Length;
        return s;
    }
}
