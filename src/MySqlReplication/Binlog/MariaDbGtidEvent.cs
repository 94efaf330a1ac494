namespace SchemaBuild.MySqlReplication.Binlog;

/// <summary>Starts a MariaDB event group (transaction or standalone DDL).</summary>
public sealed record MariaDbGtidEvent(BinlogEventHeader Header, MariaDbGtid Gtid, byte Flags, ulong? CommitId) : BinlogEvent(Header)
{
    /// <summary>FL_STANDALONE: the group is one statement with no XID/COMMIT after it.</summary>
    public bool IsStandalone => (Flags & 1) != 0;
}
