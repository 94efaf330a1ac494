using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using SchemaBuild.MySqlReplication.Binlog;
using SchemaBuild.MySqlReplication.Protocol;
using Xunit;

namespace SchemaBuild.MySqlReplication.Tests;

/// <summary>
/// Byte-level fixtures built from the documented formats, for what MariaDB 10.11
/// never sends (MySQL GTIDs, binary JSON, v2 row events) and for edge values.
/// </summary>
public sealed class BinlogFixtureTests
{
    /// <summary>Frames an event: 19-byte header, body, CRC32 of both.</summary>
    internal static byte[] Event(BinlogEventType type, byte[] body, uint nextPosition = 1000, bool checksum = true, ushort flags = 0)
    {
        int size = 19 + body.Length + (checksum ? 4 : 0);
        var w = new PacketWriter();
        w.WriteUInt32(1_700_000_000).WriteByte((byte)type).WriteUInt32(9).WriteUInt32((uint)size).WriteUInt32(nextPosition).WriteUInt16(flags).WriteBytes(body);
        byte[] data = w.Payload.ToArray();
        if (!checksum) return data;
        uint crc = System.IO.Hashing.Crc32.HashToUInt32(data);
        return data.Concat(BitConverter.GetBytes(crc)).ToArray();
    }

    private static byte[] TableMapBody(ulong tableId, string db, string table, byte[] types, byte[] metadata, byte[]? optional = null)
    {
        var w = new PacketWriter();
        w.WriteUInt32((uint)tableId).WriteUInt16((ushort)(tableId >> 32)).WriteUInt16(1);
        w.WriteByte((byte)db.Length).WriteString(db).WriteByte(0).WriteByte((byte)table.Length).WriteString(table).WriteByte(0);
        w.WriteLengthEncoded((ulong)types.Length).WriteBytes(types).WriteLengthEncodedBytes(metadata);
        w.WriteBytes(Enumerable.Repeat((byte)0xFF, (types.Length + 7) / 8).ToArray());
        if (optional is not null) w.WriteBytes(optional);
        return w.Payload.ToArray();
    }

    private static byte[] WriteRowsBody(ulong tableId, int columns, byte[] rowImages, bool v2)
    {
        var w = new PacketWriter();
        w.WriteUInt32((uint)tableId).WriteUInt16(0).WriteUInt16(1);
        if (v2) w.WriteUInt16(2);
        w.WriteLengthEncoded((ulong)columns).WriteBytes(Enumerable.Repeat((byte)0xFF, (columns + 7) / 8).ToArray()).WriteBytes(rowImages);
        return w.Payload.ToArray();
    }

    /// <summary>Decodes a one-column table map and one WRITE_ROWS row; returns the value.</summary>
    private static object? DecodeSingleValue(MySqlColumnType type, byte[] metadata, byte[] value, byte[]? optional = null, bool v2 = false)
    {
        var decoder = new BinlogEventDecoder(checksums: true);
        decoder.Decode(Event(BinlogEventType.TableMap, TableMapBody(77, "db", "t", new[] { (byte)type }, metadata, optional)));
        byte[] row = new byte[] { 0 }.Concat(value).ToArray(); // null bitmap: not null
        var ev = (RowsEvent)decoder.Decode(Event(v2 ? BinlogEventType.WriteRowsV2 : BinlogEventType.WriteRowsV1, WriteRowsBody(77, 1, row, v2)));
        return Assert.Single(ev.Rows).After![0];
    }

    [Fact]
    public void Corrupted_event_fails_the_checksum()
    {
        byte[] ev = Event(BinlogEventType.Xid, BitConverter.GetBytes(5UL));
        ev[20] ^= 1;
        var e = Assert.Throws<MySqlProtocolException>(() => new BinlogEventDecoder(true).Decode(ev));
        Assert.Contains("checksum", e.Message);
    }

    [Fact]
    public void Xid_and_position_decode()
    {
        var decoder = new BinlogEventDecoder(true) { FileName = "bin.000007" };
        var ev = Assert.IsType<XidEvent>(decoder.Decode(Event(BinlogEventType.Xid, BitConverter.GetBytes(123456UL), nextPosition: 4242)));
        Assert.Equal(123456UL, ev.Xid);
        Assert.Equal(new BinlogPosition("bin.000007", 4242), ev.Position);
    }

    [Fact]
    public void Rotate_switches_the_file_name()
    {
        var decoder = new BinlogEventDecoder(true) { FileName = "bin.000001" };
        var body = BitConverter.GetBytes(4UL).Concat("bin.000002"u8.ToArray()).ToArray();
        var rotate = Assert.IsType<RotateEvent>(decoder.Decode(Event(BinlogEventType.Rotate, body, nextPosition: 0, flags: 0x20)));
        Assert.Equal("bin.000002", rotate.NextFileName);
        Assert.True(rotate.Header.IsArtificial);
        Assert.Equal(new BinlogPosition("bin.000002", 4), rotate.Position);
        Assert.Equal("bin.000002", decoder.Decode(Event(BinlogEventType.Xid, new byte[8], nextPosition: 300)).Position.FileName);
    }

    [Fact]
    public void MySql_gtid_event_decodes_source_and_number()
    {
        var sid = Guid.Parse("3e11fa47-71ca-11e1-9e33-c80aa9429562");
        var body = new byte[] { 1 }.Concat(sid.ToByteArray(bigEndian: true)).Concat(BitConverter.GetBytes(23UL)).Concat(new byte[] { 2 }).Concat(new byte[16]).ToArray();
        var ev = Assert.IsType<MySqlGtidEvent>(new BinlogEventDecoder(true).Decode(Event(BinlogEventType.MySqlGtid, body)));
        Assert.Equal(sid, ev.SourceId);
        Assert.Equal(23UL, ev.TransactionNumber);
        Assert.Equal("3e11fa47-71ca-11e1-9e33-c80aa9429562:23", ev.ToString());
    }

    [Fact]
    public void MariaDb_gtid_and_gtid_list_decode()
    {
        var decoder = new BinlogEventDecoder(true);
        var body = BitConverter.GetBytes(99UL).Concat(BitConverter.GetBytes(3u)).Concat(new byte[] { 2 }).Concat(BitConverter.GetBytes(555UL)).ToArray();
        var gtid = Assert.IsType<MariaDbGtidEvent>(decoder.Decode(Event(BinlogEventType.MariaDbGtid, body)));
        Assert.Equal(new MariaDbGtid(3, 9, 99), gtid.Gtid);
        Assert.Equal(555UL, gtid.CommitId);
        Assert.False(gtid.IsStandalone);
        var list = BitConverter.GetBytes(2u).Concat(BitConverter.GetBytes(0u)).Concat(BitConverter.GetBytes(1u)).Concat(BitConverter.GetBytes(10UL))
            .Concat(BitConverter.GetBytes(1u)).Concat(BitConverter.GetBytes(2u)).Concat(BitConverter.GetBytes(20UL)).ToArray();
        var ev = Assert.IsType<MariaDbGtidListEvent>(decoder.Decode(Event(BinlogEventType.MariaDbGtidList, list)));
        Assert.Equal("0-1-10,1-2-20", MariaDbGtid.FormatList(ev.Gtids));
    }

    [Theory]
    [InlineData(10, 4, "1234.5678")]
    [InlineData(10, 4, "-1234.5678")]
    [InlineData(20, 6, "12345678901234.567891")]
    [InlineData(20, 6, "-0.000001")]
    [InlineData(5, 0, "-99999")]
    [InlineData(18, 9, "123456789.123456789")]
    [InlineData(4, 4, "0.0001")]
    public void Binary_decimal_round_trips(int precision, int scale, string text)
    {
        byte[] encoded = EncodeDecimal(text, precision, scale);
        Assert.Equal(decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture), BinaryDecimal.Decode(encoded, precision, scale));
        Assert.Equal(decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture),
            DecodeSingleValue(MySqlColumnType.NewDecimal, new[] { (byte)precision, (byte)scale }, encoded));
    }

    /// <summary>Independent encoder written from the storage-format description, for fixtures.</summary>
    private static byte[] EncodeDecimal(string text, int precision, int scale)
    {
        int[] bytesFor = { 0, 1, 1, 2, 2, 3, 3, 4, 4, 4 };
        bool negative = text.StartsWith('-');
        string[] parts = text.TrimStart('-').Split('.');
        int intDigits = precision - scale;
        string intPart = parts[0].PadLeft(intDigits, '0');
        string fracPart = (parts.Length > 1 ? parts[1] : "").PadRight(scale, '0');
        var bytes = new List<byte>();
        void Group(string digits, int size)
        {
            if (size == 0) return;
            uint v = uint.Parse(digits);
            for (int i = size - 1; i >= 0; i--) bytes.Add((byte)(v >> (8 * i)));
        }
        int lead = intDigits % 9;
        Group(intPart.Substring(0, lead), bytesFor[lead]);
        for (int i = lead; i < intDigits; i += 9) Group(intPart.Substring(i, 9), 4);
        for (int i = 0; i + 9 <= scale; i += 9) Group(fracPart.Substring(i, 9), 4);
        int trail = scale % 9;
        Group(fracPart.Substring(scale - trail), bytesFor[trail]);
        var result = bytes.ToArray();
        if (negative) for (int i = 0; i < result.Length; i++) result[i] = (byte)~result[i];
        result[0] ^= 0x80;
        return result;
    }

    [Fact]
    public void Datetime2_with_microseconds()
    {
        // 2024-02-29 13:14:15.123456: ((year*13+month) << 22 | day << 17 | hour << 12 | minute << 6 | second) + 2^39
        long ym = 2024 * 13 + 2;
        long packed = (ym << 22 | 29L << 17 | 13L << 12 | 14L << 6 | 15L) + (1L << 39);
        byte[] value = BigEndian(packed, 5).Concat(BigEndian(123456, 3)).ToArray();
        Assert.Equal(new DateTime(2024, 2, 29, 13, 14, 15).AddTicks(1234560), DecodeSingleValue(MySqlColumnType.DateTime2, new byte[] { 6 }, value));
    }

    [Fact]
    public void Timestamp2_with_milliseconds_is_utc()
    {
        byte[] value = BigEndian(1_000_000_000, 4).Concat(BigEndian(123, 2)).ToArray(); // fsp 3: hundredths of milliseconds * ... stored as 0..9999
        var result = DecodeSingleValue(MySqlColumnType.Timestamp2, new byte[] { 3 }, value);
        Assert.Equal(new DateTime(2001, 9, 9, 1, 46, 40).AddTicks(123 * 1000), result);
    }

    [Theory]
    [InlineData(0, "12:34:56", 0x800000 + (12 << 12 | 34 << 6 | 56), 0, 0)]
    [InlineData(0, "-838:59:59", 0x800000 - (838 << 12 | 59 << 6 | 59), 0, 0)]
    [InlineData(2, "-00:00:01.25", 0x800000 - 2, 231, 1)]
    [InlineData(6, "01:00:00.000001", -1, 0, 0)]
    public void Time2_values(int fsp, string expected, long intPart, int frac, int fracBytes)
    {
        byte[] value = fsp switch
        {
            6 => BigEndian(0x800000000000L + ((1L << 12 << 24) | 1), 6),
            _ => BigEndian(intPart, 3).Concat(BigEndian(frac, fracBytes)).ToArray(),
        };
        var actual = (TimeSpan)DecodeSingleValue(MySqlColumnType.Time2, new[] { (byte)fsp }, value)!;
        var parsed = TimeSpan.Parse(expected.TrimStart('-').Replace("838:", "34.22:"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected.StartsWith('-') ? -parsed : parsed, actual);
    }

    [Fact]
    public void Bit_enum_set_and_char_with_metadata()
    {
        Assert.Equal(0x1ABUL, DecodeSingleValue(MySqlColumnType.Bit, new byte[] { 1, 1 }, new byte[] { 0x01, 0xAB })); // BIT(9)
        // ENUM: STRING with real type 0xF7 and 1 byte; names from ENUM_STR_VALUE optional metadata.
        byte[] enumNames = new byte[] { 6, 7, 2, 1, (byte)'x', 3, (byte)'y', (byte)'y', (byte)'y' };
        Assert.Equal("yyy", DecodeSingleValue(MySqlColumnType.String, new byte[] { 0xF7, 1 }, new byte[] { 2 }, enumNames));
        byte[] setNames = new byte[] { 5, 7, 3, 1, (byte)'a', 1, (byte)'b', 1, (byte)'c' };
        Assert.Equal("a,c", DecodeSingleValue(MySqlColumnType.String, new byte[] { 0xF8, 1 }, new byte[] { 5 }, setNames));
        // CHAR(100) utf8mb4 (400 bytes): length over 255 borrows bits of the type byte, so the prefix has 2 bytes.
        byte[] charset = new byte[] { 3, 1, 45 };
        byte[] text = new byte[] { 3, 0 }.Concat("abc"u8.ToArray()).ToArray();
        Assert.Equal("abc", DecodeSingleValue(MySqlColumnType.String, new byte[] { 0xEE, 0x90 }, text, charset));
    }

    [Fact]
    public void Blob_geometry_and_unknown_charset_stay_bytes()
    {
        byte[] payload = { 1, 2, 3 };
        Assert.Equal(payload, DecodeSingleValue(MySqlColumnType.Blob, new byte[] { 2 }, new byte[] { 3, 0 }.Concat(payload).ToArray()));
        Assert.Equal(payload, DecodeSingleValue(MySqlColumnType.Geometry, new byte[] { 4 }, new byte[] { 3, 0, 0, 0 }.Concat(payload).ToArray()));
        Assert.Equal("hé", DecodeSingleValue(MySqlColumnType.Blob, new byte[] { 1 }, new byte[] { 3 }.Concat(Encoding.UTF8.GetBytes("hé")).ToArray(), new byte[] { 2, 1, 46 }));
    }

    [Fact]
    public void Signedness_metadata_makes_integers_unsigned()
    {
        Assert.Equal((sbyte)-1, DecodeSingleValue(MySqlColumnType.Tiny, Array.Empty<byte>(), new byte[] { 0xFF }));
        Assert.Equal((byte)255, DecodeSingleValue(MySqlColumnType.Tiny, Array.Empty<byte>(), new byte[] { 0xFF }, new byte[] { 1, 1, 0x80 }));
        Assert.Equal(-1, DecodeSingleValue(MySqlColumnType.Int24, Array.Empty<byte>(), new byte[] { 0xFF, 0xFF, 0xFF }));
        Assert.Equal(16777215u, DecodeSingleValue(MySqlColumnType.Int24, Array.Empty<byte>(), new byte[] { 0xFF, 0xFF, 0xFF }, new byte[] { 1, 1, 0x80 }));
    }

    [Fact]
    public void Write_rows_v2_skips_extra_data()
    {
        Assert.Equal(-2L, DecodeSingleValue(MySqlColumnType.LongLong, Array.Empty<byte>(), BitConverter.GetBytes(-2L), v2: true));
    }

    [Fact]
    public void Rows_without_a_table_map_are_a_protocol_error()
    {
        var e = Assert.Throws<MySqlProtocolException>(() => new BinlogEventDecoder(true).Decode(Event(BinlogEventType.WriteRowsV1, WriteRowsBody(5, 1, new byte[] { 0, 1 }, false))));
        Assert.Contains("TABLE_MAP", e.Message);
    }

    [Fact]
    public void Truncated_row_image_is_a_protocol_error()
    {
        var decoder = new BinlogEventDecoder(true);
        decoder.Decode(Event(BinlogEventType.TableMap, TableMapBody(1, "d", "t", new[] { (byte)MySqlColumnType.LongLong }, Array.Empty<byte>())));
        Assert.Throws<MySqlProtocolException>(() => decoder.Decode(Event(BinlogEventType.WriteRowsV1, WriteRowsBody(1, 1, new byte[] { 0, 1, 2, 3 }, false))));
    }

    [Fact]
    public void Event_size_mismatch_is_a_protocol_error()
    {
        byte[] ev = Event(BinlogEventType.Xid, new byte[8]);
        Assert.Throws<MySqlProtocolException>(() => new BinlogEventDecoder(true).Decode(ev.AsSpan(0, ev.Length - 1)));
    }

    [Theory]
    // Examples laid out per the MySQL binary JSON format description.
    [InlineData("0C03616263", "\"abc\"")]
    [InlineData("0401", "true")]
    [InlineData("0400", "null")]
    [InlineData("05FEFF", "-2")]
    [InlineData("0B000000000000F83F", "1.5")]
    [InlineData("090100000000000080", "-9223372036854775807")]
    // small array [1, "x"]: count 2, size 12; entries (type, offset|inline); then "x" at offset 10
    [InlineData("0202000C00050100" + "0C0A00" + "0178", "[1, \"x\"]")]
    // small object {"a": true, "bc": 7}: count 2, size 21; key entries (offset, length); value entries inline; keys "a","bc"
    [InlineData("0002001500" + "1200" + "0100" + "1300" + "0200" + "040100" + "050700" + "61" + "6263", "{\"a\": true, \"bc\": 7}")]
    public void Mysql_binary_json_decodes_to_text(string hex, string expected) =>
        Assert.Equal(expected, JsonBinaryDecoder.Decode(Convert.FromHexString(hex)));

    [Fact]
    public void Mysql_json_column_in_a_row_event()
    {
        byte[] json = Convert.FromHexString("0C03616263");
        byte[] value = BitConverter.GetBytes(json.Length).Concat(json).ToArray();
        Assert.Equal("\"abc\"", DecodeSingleValue(MySqlColumnType.Json, new byte[] { 4 }, value));
    }

    [Fact]
    public void Malformed_binary_json_is_a_protocol_error()
    {
        Assert.Throws<MySqlProtocolException>(() => JsonBinaryDecoder.Decode(Convert.FromHexString("0C7F61")));
        Assert.Throws<MySqlProtocolException>(() => JsonBinaryDecoder.Decode(Convert.FromHexString("00FFFF0100")));
        Assert.Throws<MySqlProtocolException>(() => JsonBinaryDecoder.Decode(Convert.FromHexString("77")));
    }

    [Fact]
    public void Mysql_gtid_set_parses_merges_and_encodes()
    {
        var set = MySqlGtidSet.Parse("3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5:7, 3e11fa47-71ca-11e1-9e33-c80aa9429562:6");
        set.Add(Guid.Parse("00000000-0000-0000-0000-000000000001"), 10);
        Assert.Equal("00000000-0000-0000-0000-000000000001:10,3e11fa47-71ca-11e1-9e33-c80aa9429562:1-7", set.ToString());
        Assert.True(set.Contains(Guid.Parse("3e11fa47-71ca-11e1-9e33-c80aa9429562"), 6));
        byte[] encoded = set.Encode();
        var expected = new PacketWriter()
            .WriteUInt64(2)
            .WriteBytes(Convert.FromHexString("00000000000000000000000000000001")).WriteUInt64(1).WriteUInt64(10).WriteUInt64(11)
            .WriteBytes(Convert.FromHexString("3E11FA4771CA11E19E33C80AA9429562")).WriteUInt64(1).WriteUInt64(1).WriteUInt64(8)
            .Payload.ToArray();
        Assert.Equal(expected, encoded);
    }

    [Fact]
    public void Com_binlog_dump_gtid_is_encoded_per_the_protocol()
    {
        var set = MySqlGtidSet.Parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-3");
        var w = new PacketWriter().WriteByte(ServerSession.ComBinlogDumpGtid);
        BinlogClient.EncodeDumpGtid(w, 123, 0, new BinlogPosition("", 4), set);
        byte[] data = Convert.FromHexString(
            "1E" + "0400" + "7B000000" + "00000000" + "0400000000000000" + "30000000" +
            "0100000000000000" + "3E11FA4771CA11E19E33C80AA9429562" + "0100000000000000" + "0100000000000000" + "0400000000000000");
        Assert.Equal(data, w.Payload.ToArray());
    }

    [Fact]
    public void Com_binlog_dump_and_register_are_encoded_per_the_protocol()
    {
        var dump = new PacketWriter().WriteByte(ServerSession.ComBinlogDump);
        BinlogClient.EncodeDump(dump, 7, 1, new BinlogPosition("bin.000002", 1234));
        Assert.Equal(Convert.FromHexString("12" + "D2040000" + "0100" + "07000000").Concat("bin.000002"u8.ToArray()).ToArray(), dump.Payload.ToArray());
        var register = new PacketWriter().WriteByte(ServerSession.ComRegisterSlave);
        BinlogClient.EncodeRegisterReplica(register, 7);
        Assert.Equal(Convert.FromHexString("15" + "07000000" + "00" + "00" + "00" + "0000" + "00000000" + "00000000"), register.Payload.ToArray());
    }

    [Theory]
    [InlineData("0-1-100", 0u, 1u, 100UL)]
    [InlineData(" 12-3-4 ", 12u, 3u, 4UL)]
    public void MariaDb_gtid_parses(string text, uint domain, uint server, ulong sequence) =>
        Assert.Equal(new MariaDbGtid(domain, server, sequence), MariaDbGtid.Parse(text));

    [Fact]
    public void MariaDb_gtid_rejects_garbage() => Assert.Throws<FormatException>(() => MariaDbGtid.Parse("0-1"));

    [Fact]
    public void Randomly_corrupted_events_fail_only_with_protocol_errors()
    {
        var random = new Random(424242);
        var tableMap = Event(BinlogEventType.TableMap, TableMapBody(3, "db", "t",
            new[] { (byte)MySqlColumnType.Long, (byte)MySqlColumnType.VarChar, (byte)MySqlColumnType.NewDecimal, (byte)MySqlColumnType.DateTime2, (byte)MySqlColumnType.Blob },
            new byte[] { 40, 0, 10, 2, 3, 2 }, new byte[] { 4, 6, 1, (byte)'a', 1, (byte)'b', 1, (byte)'c', 1, (byte)'d', 1, (byte)'e' }), checksum: false);
        var rows = Event(BinlogEventType.WriteRowsV1, WriteRowsBody(3, 5, Convert.FromHexString("00" + "01000000" + "0278" + "80000102" + "8000000000" + "0000" + "0161"), false), checksum: false);
        for (int i = 0; i < 5000; i++)
        {
            var decoder = new BinlogEventDecoder(checksums: false);
            byte[] a = (byte[])tableMap.Clone(), b = (byte[])rows.Clone();
            byte[] target = random.Next(2) == 0 ? a : b;
            for (int k = random.Next(1, 4); k > 0; k--) target[random.Next(19, target.Length)] = (byte)random.Next(256);
            try
            {
                decoder.Decode(a);
                decoder.Decode(b);
            }
            catch (MySqlProtocolException)
            {
            }
        }
    }

    private static byte[] BigEndian(long value, int bytes)
    {
        var result = new byte[bytes];
        for (int i = bytes - 1; i >= 0; i--)
        {
            result[i] = (byte)value;
            value >>= 8;
        }
        return result;
    }
}
