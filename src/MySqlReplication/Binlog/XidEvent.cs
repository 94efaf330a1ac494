namespace SchemaBuild.MySqlReplication.Binlog;

/// <summary>Commit of a transactional (InnoDB) event group.</summary>
public sealed record XidEvent(BinlogEventHeader Header, ulong Xid) : BinlogEvent(Header);
