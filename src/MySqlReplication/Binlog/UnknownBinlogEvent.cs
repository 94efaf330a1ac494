namespace SchemaBuild.MySqlReplication.Binlog;

/// <summary>An event this client does not decode (annotate rows, checkpoints, ...), kept for its position.</summary>
public sealed record UnknownBinlogEvent(BinlogEventHeader Header) : BinlogEvent(Header);
