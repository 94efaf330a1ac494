namespace SchemaBuild.MySqlReplication.Binlog;

/// <summary>Sent by the server when the binlog is idle for the heartbeat period.</summary>
public sealed record HeartbeatEvent(BinlogEventHeader Header, string FileName) : BinlogEvent(Header);
