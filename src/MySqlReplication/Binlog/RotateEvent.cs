namespace SchemaBuild.MySqlReplication.Binlog;

/// <summary>The stream continues in another file (real at the end of a file, artificial at the start of a dump).</summary>
public sealed record RotateEvent(BinlogEventHeader Header, string NextFileName, ulong NextPosition) : BinlogEvent(Header);
