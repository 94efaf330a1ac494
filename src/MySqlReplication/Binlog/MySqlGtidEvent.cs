using System;

namespace SchemaBuild.MySqlReplication.Binlog;

/// <summary>Starts a MySQL transaction: source uuid and transaction number.</summary>
public sealed record MySqlGtidEvent(BinlogEventHeader Header, Guid SourceId, ulong TransactionNumber, byte Flags) : BinlogEvent(Header)
{
    public override string ToString() => $"{SourceId}:{TransactionNumber}";
}
