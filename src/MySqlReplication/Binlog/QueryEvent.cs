namespace SchemaBuild.MySqlReplication.Binlog;

/// <summary>A statement logged as text: BEGIN, COMMIT, DDL, or statement-based DML.</summary>
public sealed record QueryEvent(BinlogEventHeader Header, uint ThreadId, ushort ErrorCode, string Database, string Sql) : BinlogEvent(Header);
