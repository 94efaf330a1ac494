using System;
using SchemaBuild.MySqlClient.Protocol;

namespace SchemaBuild.MySqlClient;

/// <summary>One column of a result set, from its column definition packet.</summary>
public sealed record MySqlColumn(
    string Name,
    string Table,
    string Database,
    MySqlColumnType Type,
    MySqlColumnFlags Flags,
    int CharacterSet,
    uint Length,
    byte Decimals)
{
    public bool IsUnsigned => (Flags & MySqlColumnFlags.Unsigned) != 0;

    /// <summary>True for columns whose bytes are not text (collation 63, "binary").</summary>
    public bool IsBinary => CharacterSet == Results.CharsetEncodings.Binary;

    internal static MySqlColumn Parse(ReadOnlySpan<byte> payload)
    {
        var r = new PacketReader(payload);
        r.ReadLengthEncodedBytes(); // catalog, always "def"
        string database = r.ReadLengthEncodedString();
        string table = r.ReadLengthEncodedString();
        r.ReadLengthEncodedBytes(); // physical table
        string name = r.ReadLengthEncodedString();
        r.ReadLengthEncodedBytes(); // physical column
        r.ReadLengthEncoded(); // length of the fixed fields (0x0C)
        int charset = r.ReadUInt16();
        uint length = r.ReadUInt32();
        var type = (MySqlColumnType)r.ReadByte();
        var flags = (MySqlColumnFlags)r.ReadUInt16();
        byte decimals = r.ReadByte();
        return new MySqlColumn(name, table, database, type, flags, charset, length, decimals);
    }
}
