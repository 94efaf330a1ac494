using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;
using SchemaBuild.MySqlReplication.Protocol;

namespace SchemaBuild.MySqlReplication.Binlog;

/// <summary>
/// Turns raw binlog events into typed events. Stateful: it remembers the
/// checksum setting from FORMAT_DESCRIPTION, the current file from ROTATE, and
/// TABLE_MAPs for the row events that follow them.
/// </summary>
internal sealed class BinlogEventDecoder
{
    private readonly Dictionary<ulong, TableMapEvent> _tables = new();

    public BinlogEventDecoder(bool checksums, bool verifyChecksums = true)
    {
        Checksums = checksums;
        VerifyChecksums = verifyChecksums;
    }

    /// <summary>Events end with a CRC32 (from @@binlog_checksum, then from each FORMAT_DESCRIPTION).</summary>
    public bool Checksums { get; private set; }
    public bool VerifyChecksums { get; }
    public string FileName { get; set; } = "";

    /// <summary>See <see cref="BinlogClientOptions.DecodeRowsOf"/>.</summary>
    public Func<string, string, bool>? DecodeRowsOf { get; init; }

    public BinlogEvent Decode(ReadOnlySpan<byte> data)
    {
        try
        {
            return DecodeCore(data);
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or OverflowException or FormatException or DecoderFallbackException or InvalidCastException)
        {
            throw new MySqlProtocolException("Malformed binlog event: " + e.Message, innerException: e);
        }
    }

    private BinlogEvent DecodeCore(ReadOnlySpan<byte> data)
    {
        if (data.Length < BinlogEventHeader.Size) throw new MySqlProtocolException("Binlog event is shorter than its header.");
        var header = new BinlogEventHeader(
            BinaryPrimitives.ReadUInt32LittleEndian(data),
            (BinlogEventType)data[4],
            BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(5)),
            BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(9)),
            BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(13)),
            BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(17)));
        if (header.EventSize != data.Length) throw new MySqlProtocolException($"Binlog event size {header.EventSize} does not match the {data.Length} bytes received.");

        var body = data.Slice(BinlogEventHeader.Size);
        if (header.Type == BinlogEventType.FormatDescription)
        {
            // The checksum algorithm byte sits just before the (possible) 4-byte checksum.
            if (data.Length < BinlogEventHeader.Size + 57 + 5) throw MySqlProtocolException.Truncated();
            Checksums = data[^5] == 1;
            if (Checksums) Verify(data, header);
            body = body.Slice(0, body.Length - 5);
        }
        else if (Checksums)
        {
            if (body.Length < 4) throw MySqlProtocolException.Truncated();
            Verify(data, header);
            body = body.Slice(0, body.Length - 4);
        }

        BinlogEvent result = header.Type switch
        {
            BinlogEventType.FormatDescription => DecodeFormatDescription(header, body),
            BinlogEventType.Rotate => DecodeRotate(header, body),
            BinlogEventType.Query => DecodeQuery(header, body),
            BinlogEventType.Xid => new XidEvent(header, new PacketReader(body).ReadUInt64()),
            BinlogEventType.TableMap => DecodeTableMap(header, body),
            BinlogEventType.WriteRowsV1 or BinlogEventType.WriteRowsV2 or BinlogEventType.WriteRowsV0 => DecodeRows(header, body, RowChangeKind.Insert),
            BinlogEventType.UpdateRowsV1 or BinlogEventType.UpdateRowsV2 or BinlogEventType.UpdateRowsV0 => DecodeRows(header, body, RowChangeKind.Update),
            BinlogEventType.DeleteRowsV1 or BinlogEventType.DeleteRowsV2 or BinlogEventType.DeleteRowsV0 => DecodeRows(header, body, RowChangeKind.Delete),
            BinlogEventType.MariaDbWriteRowsCompressedV1 or BinlogEventType.MariaDbWriteRowsCompressedV2 => DecodeRows(header, body, RowChangeKind.Insert),
            BinlogEventType.MariaDbUpdateRowsCompressedV1 or BinlogEventType.MariaDbUpdateRowsCompressedV2 => DecodeRows(header, body, RowChangeKind.Update),
            BinlogEventType.MariaDbDeleteRowsCompressedV1 or BinlogEventType.MariaDbDeleteRowsCompressedV2 => DecodeRows(header, body, RowChangeKind.Delete),
            BinlogEventType.MariaDbGtid => DecodeMariaDbGtid(header, body),
            BinlogEventType.MariaDbGtidList => DecodeMariaDbGtidList(header, body),
            BinlogEventType.MySqlGtid or BinlogEventType.MySqlAnonymousGtid => DecodeMySqlGtid(header, body),
            BinlogEventType.Heartbeat => new HeartbeatEvent(header, Encoding.UTF8.GetString(body)),
            _ => new UnknownBinlogEvent(header),
        };
        if (result is RotateEvent rotate)
        {
            FileName = rotate.NextFileName;
            return rotate with { Position = new BinlogPosition(rotate.NextFileName, rotate.NextPosition) };
        }
        return result with { Position = new BinlogPosition(FileName, header.NextPosition) };
    }

    private void Verify(ReadOnlySpan<byte> data, BinlogEventHeader header)
    {
        if (!VerifyChecksums) return;
        uint expected = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(data.Length - 4));
        uint actual;
        if (header.Type == BinlogEventType.FormatDescription && (header.Flags & 1) != 0)
        {
            // LOG_EVENT_BINLOG_IN_USE_F is set in the file while the server writes it and
            // cleared on close, so the checksum is computed as if it were clear.
            byte[] copy = data.Slice(0, data.Length - 4).ToArray();
            copy[17] &= 0xFE;
            actual = System.IO.Hashing.Crc32.HashToUInt32(copy);
        }
        else
        {
            actual = System.IO.Hashing.Crc32.HashToUInt32(data.Slice(0, data.Length - 4));
        }
        if (expected != actual)
        {
            throw new MySqlProtocolException($"Binlog event checksum mismatch ({header.Type} ending at {header.NextPosition}): expected 0x{expected:X8}, computed 0x{actual:X8}.");
        }
    }

    private static FormatDescriptionEvent DecodeFormatDescription(BinlogEventHeader header, ReadOnlySpan<byte> body)
    {
        var r = new PacketReader(body);
        ushort version = r.ReadUInt16();
        var serverVersion = r.ReadBytes(50);
        int nul = serverVersion.IndexOf((byte)0);
        string text = Encoding.ASCII.GetString(nul >= 0 ? serverVersion.Slice(0, nul) : serverVersion);
        return new FormatDescriptionEvent(header, version, text, HasChecksums: false);
    }

    private static RotateEvent DecodeRotate(BinlogEventHeader header, ReadOnlySpan<byte> body)
    {
        var r = new PacketReader(body);
        ulong position = r.ReadUInt64();
        return new RotateEvent(header, Encoding.UTF8.GetString(r.ReadRest()), position);
    }

    private static QueryEvent DecodeQuery(BinlogEventHeader header, ReadOnlySpan<byte> body)
    {
        var r = new PacketReader(body);
        uint thread = r.ReadUInt32();
        r.Skip(4); // execution time
        int dbLength = r.ReadByte();
        ushort error = r.ReadUInt16();
        int statusLength = r.ReadUInt16();
        r.Skip(statusLength);
        string database = Encoding.UTF8.GetString(r.ReadBytes(dbLength));
        r.Skip(1);
        return new QueryEvent(header, thread, error, database, Encoding.UTF8.GetString(r.ReadRest()));
    }

    private static MariaDbGtidEvent DecodeMariaDbGtid(BinlogEventHeader header, ReadOnlySpan<byte> body)
    {
        var r = new PacketReader(body);
        ulong sequence = r.ReadUInt64();
        uint domain = r.ReadUInt32();
        byte flags = r.ReadByte();
        ulong? commitId = (flags & 2) != 0 && r.Remaining >= 8 ? r.ReadUInt64() : null;
        return new MariaDbGtidEvent(header, new MariaDbGtid(domain, header.ServerId, sequence), flags, commitId);
    }

    private static MariaDbGtidListEvent DecodeMariaDbGtidList(BinlogEventHeader header, ReadOnlySpan<byte> body)
    {
        var r = new PacketReader(body);
        int count = (int)(r.ReadUInt32() & 0x0FFFFFFF);
        if (count > r.Remaining / 16) throw MySqlProtocolException.Truncated();
        var list = new MariaDbGtid[count];
        for (int i = 0; i < count; i++)
        {
            uint domain = r.ReadUInt32();
            uint server = r.ReadUInt32();
            list[i] = new MariaDbGtid(domain, server, r.ReadUInt64());
        }
        return new MariaDbGtidListEvent(header, list);
    }

    private static MySqlGtidEvent DecodeMySqlGtid(BinlogEventHeader header, ReadOnlySpan<byte> body)
    {
        var r = new PacketReader(body);
        byte flags = r.ReadByte();
        var sid = new Guid(r.ReadBytes(16), bigEndian: true);
        return new MySqlGtidEvent(header, sid, r.ReadUInt64(), flags);
    }

    private TableMapEvent DecodeTableMap(BinlogEventHeader header, ReadOnlySpan<byte> body)
    {
        var r = new PacketReader(body);
        ulong tableId = r.ReadUInt48();
        r.Skip(2);
        string database = Encoding.UTF8.GetString(r.ReadBytes(r.ReadByte()));
        r.Skip(1);
        string table = Encoding.UTF8.GetString(r.ReadBytes(r.ReadByte()));
        r.Skip(1);
        int count = r.ReadLengthEncodedInt32();
        if (count > r.Remaining) throw MySqlProtocolException.Truncated();
        var types = r.ReadBytes(count);
        int metaLength = r.ReadLengthEncodedInt32();
        var meta = new PacketReader(r.ReadBytes(metaLength));
        var columns = new BinlogColumn[count];
        for (int i = 0; i < count; i++)
        {
            var type = (MySqlColumnType)types[i];
            ushort m = 0;
            var realType = type;
            switch (type)
            {
                case MySqlColumnType.Float or MySqlColumnType.Double or MySqlColumnType.Blob or MySqlColumnType.Geometry or MySqlColumnType.Json
                    or MySqlColumnType.Time2 or MySqlColumnType.DateTime2 or MySqlColumnType.Timestamp2 or MySqlColumnType.TinyBlob
                    or MySqlColumnType.MediumBlob or MySqlColumnType.LongBlob:
                    m = meta.ReadByte();
                    break;
                case MySqlColumnType.VarChar or MySqlColumnType.VarString:
                    m = meta.ReadUInt16();
                    break;
                case MySqlColumnType.Bit or MySqlColumnType.NewDecimal or MySqlColumnType.Decimal or MySqlColumnType.Enum or MySqlColumnType.Set:
                    m = (ushort)((meta.ReadByte() << 8) | meta.ReadByte());
                    break;
                case MySqlColumnType.String:
                {
                    // First byte: real type (ENUM/SET/STRING); CHAR lengths over 255 borrow two of its bits.
                    int b0 = meta.ReadByte(), b1 = meta.ReadByte();
                    if ((b0 & 0x30) != 0x30)
                    {
                        m = (ushort)(b1 | (((b0 & 0x30) ^ 0x30) << 4));
                        realType = (MySqlColumnType)(b0 | 0x30);
                    }
                    else
                    {
                        realType = (MySqlColumnType)b0;
                        m = (ushort)b1;
                    }
                    break;
                }
            }
            columns[i] = new BinlogColumn(i, type, m, Nullable: false) { RealType = realType };
        }
        var nullable = r.ReadBytes((count + 7) / 8);
        for (int i = 0; i < count; i++)
        {
            if ((nullable[i >> 3] & (1 << (i & 7))) != 0) columns[i] = columns[i] with { Nullable = true };
        }
        if (!r.AtEnd) ApplyOptionalMetadata(ref r, columns);
        var map = new TableMapEvent(header, tableId, database, table, columns);
        _tables[tableId] = map;
        return map;
    }

    private static bool IsNumeric(MySqlColumnType t) => t is MySqlColumnType.Tiny or MySqlColumnType.Short or MySqlColumnType.Int24
        or MySqlColumnType.Long or MySqlColumnType.LongLong or MySqlColumnType.NewDecimal or MySqlColumnType.Float or MySqlColumnType.Double;

    private static bool IsCharacter(MySqlColumnType realType) => realType is MySqlColumnType.String or MySqlColumnType.VarChar
        or MySqlColumnType.VarString or MySqlColumnType.Blob or MySqlColumnType.TinyBlob or MySqlColumnType.MediumBlob or MySqlColumnType.LongBlob;

    private static bool IsEnumOrSet(MySqlColumnType realType) => realType is MySqlColumnType.Enum or MySqlColumnType.Set;

    /// <summary>binlog_row_metadata: type-length-value fields after the null bitmap.</summary>
    private static void ApplyOptionalMetadata(ref PacketReader r, BinlogColumn[] columns)
    {
        while (!r.AtEnd)
        {
            byte type = r.ReadByte();
            var field = new PacketReader(r.ReadLengthEncodedBytes());
            switch (type)
            {
                case 1: // SIGNEDNESS: one bit per numeric column, most significant bit first; set = unsigned
                {
                    int n = 0;
                    for (int i = 0; i < columns.Length; i++)
                    {
                        if (!IsNumeric(columns[i].RealType)) continue;
                        int bit = n++;
                        if (bit / 8 < field.Remaining && (field.Data[bit / 8] & (0x80 >> (bit % 8))) != 0)
                        {
                            columns[i] = columns[i] with { IsUnsigned = true };
                        }
                    }
                    break;
                }
                case 2: // DEFAULT_CHARSET: default collation, then (index among character columns, collation) exceptions
                    ApplyDefaultCharset(ref field, columns, IsCharacter);
                    break;
                case 3: // COLUMN_CHARSET: a collation per character column
                    ApplyColumnCharset(ref field, columns, IsCharacter);
                    break;
                case 4: // COLUMN_NAME
                    for (int i = 0; i < columns.Length && !field.AtEnd; i++) columns[i] = columns[i] with { Name = field.ReadLengthEncodedString() };
                    break;
                case 5: // SET_STR_VALUE
                case 6: // ENUM_STR_VALUE
                {
                    var want = type == 5 ? MySqlColumnType.Set : MySqlColumnType.Enum;
                    for (int i = 0; i < columns.Length && !field.AtEnd; i++)
                    {
                        if (columns[i].RealType != want) continue;
                        int values = field.ReadLengthEncodedInt32();
                        if (values > field.Remaining) throw MySqlProtocolException.Truncated();
                        var names = new string[values];
                        for (int v = 0; v < values; v++) names[v] = field.ReadLengthEncodedString();
                        columns[i] = type == 5 ? columns[i] with { SetValues = names } : columns[i] with { EnumValues = names };
                    }
                    break;
                }
                case 8: // SIMPLE_PRIMARY_KEY
                    while (!field.AtEnd)
                    {
                        int index = field.ReadLengthEncodedInt32();
                        if (index < columns.Length) columns[index] = columns[index] with { IsPrimaryKey = true };
                    }
                    break;
                case 9: // PRIMARY_KEY_WITH_PREFIX: (index, prefix length) pairs
                    while (!field.AtEnd)
                    {
                        int index = field.ReadLengthEncodedInt32();
                        field.ReadLengthEncoded();
                        if (index < columns.Length) columns[index] = columns[index] with { IsPrimaryKey = true };
                    }
                    break;
                case 10: // ENUM_AND_SET_DEFAULT_CHARSET
                    ApplyDefaultCharset(ref field, columns, IsEnumOrSet);
                    break;
                case 11: // ENUM_AND_SET_COLUMN_CHARSET
                    ApplyColumnCharset(ref field, columns, IsEnumOrSet);
                    break;
                default:
                    break; // GEOMETRY_TYPE, COLUMN_VISIBILITY and future fields carry nothing the decoder needs
            }
        }
    }

    private static void ApplyDefaultCharset(ref PacketReader field, BinlogColumn[] columns, Func<MySqlColumnType, bool> applies)
    {
        int collation = field.ReadLengthEncodedInt32();
        var exceptions = new Dictionary<int, int>();
        while (!field.AtEnd)
        {
            int index = field.ReadLengthEncodedInt32();
            exceptions[index] = field.ReadLengthEncodedInt32();
        }
        int n = 0;
        for (int i = 0; i < columns.Length; i++)
        {
            if (!applies(columns[i].RealType)) continue;
            columns[i] = columns[i] with { Collation = exceptions.TryGetValue(n++, out int c) ? c : collation };
        }
    }

    private static void ApplyColumnCharset(ref PacketReader field, BinlogColumn[] columns, Func<MySqlColumnType, bool> applies)
    {
        for (int i = 0; i < columns.Length && !field.AtEnd; i++)
        {
            if (applies(columns[i].RealType)) columns[i] = columns[i] with { Collation = field.ReadLengthEncodedInt32() };
        }
    }

    private RowsEvent DecodeRows(BinlogEventHeader header, ReadOnlySpan<byte> body, RowChangeKind kind)
    {
        var r = new PacketReader(body);
        ulong tableId = r.ReadUInt48();
        ushort flags = r.ReadUInt16();
        bool v2 = header.Type is BinlogEventType.WriteRowsV2 or BinlogEventType.UpdateRowsV2 or BinlogEventType.DeleteRowsV2
            or BinlogEventType.MariaDbWriteRowsCompressedV2 or BinlogEventType.MariaDbUpdateRowsCompressedV2 or BinlogEventType.MariaDbDeleteRowsCompressedV2;
        if (v2)
        {
            int extra = r.ReadUInt16();
            if (extra < 2) throw new MySqlProtocolException("Invalid rows event extra data length.");
            r.Skip(extra - 2);
        }
        if (!_tables.TryGetValue(tableId, out var table)) throw new MySqlProtocolException($"Rows event for table id {tableId} without a preceding TABLE_MAP.");
        if (DecodeRowsOf is { } decode && !decode(table.Database, table.Table))
        {
            return new RowsEvent(header, kind, table, Array.Empty<BinlogRow>()) { Flags = flags };
        }
        int count = r.ReadLengthEncodedInt32();
        if (count != table.Columns.Count) throw new MySqlProtocolException($"Rows event has {count} columns but the table map has {table.Columns.Count}.");
        int bitmapLength = (count + 7) / 8;
        var before = r.ReadBytes(bitmapLength);
        var after = kind == RowChangeKind.Update ? r.ReadBytes(bitmapLength) : before;
        int beforeCount = PopCount(before, count), afterCount = PopCount(after, count);
        if (header.Type >= BinlogEventType.MariaDbWriteRowsCompressedV1)
        {
            // Only the row images are compressed; width and column bitmaps stay plain.
            r = new PacketReader(MariaDbCompression.Inflate(r.ReadRest()));
        }
        var rows = new List<BinlogRow>();
        while (!r.AtEnd)
        {
            switch (kind)
            {
                case RowChangeKind.Insert:
                    rows.Add(new BinlogRow(null, RowImageDecoder.ReadRow(ref r, table.Columns, before, beforeCount)));
                    break;
                case RowChangeKind.Delete:
                    rows.Add(new BinlogRow(RowImageDecoder.ReadRow(ref r, table.Columns, before, beforeCount), null));
                    break;
                default:
                    var old = RowImageDecoder.ReadRow(ref r, table.Columns, before, beforeCount);
                    rows.Add(new BinlogRow(old, RowImageDecoder.ReadRow(ref r, table.Columns, after, afterCount)));
                    break;
            }
        }
        return new RowsEvent(header, kind, table, rows) { Flags = flags };
    }

    private static int PopCount(ReadOnlySpan<byte> bitmap, int bits)
    {
        int n = 0;
        for (int i = 0; i < bits; i++) if ((bitmap[i >> 3] & (1 << (i & 7))) != 0) n++;
        return n;
    }
}
