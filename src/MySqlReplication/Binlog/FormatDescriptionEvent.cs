namespace SchemaBuild.MySqlReplication.Binlog;

/// <summary>First event of every binlog file: server version and whether events carry CRC32 checksums.</summary>
public sealed record FormatDescriptionEvent(BinlogEventHeader Header, ushort BinlogVersion, string ServerVersion, bool HasChecksums) : BinlogEvent(Header);
