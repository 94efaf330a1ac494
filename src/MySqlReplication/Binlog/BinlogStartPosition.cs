using System.Collections.Generic;

namespace SchemaBuild.MySqlReplication.Binlog;

/// <summary>Where a binlog stream starts: a file and offset, a MariaDB GTID position, a MySQL GTID set, or the server's current end.</summary>
public sealed record BinlogStartPosition
{
    private BinlogStartPosition()
    {
    }

    public BinlogPosition? FilePosition { get; private init; }
    public IReadOnlyList<MariaDbGtid>? MariaDbGtids { get; private init; }
    public MySqlGtidSet? MySqlGtids { get; private init; }
    public bool IsCurrent { get; private init; }

    public static BinlogStartPosition FromFile(string fileName, ulong position = 4) => new() { FilePosition = new BinlogPosition(fileName, position) };
    public static BinlogStartPosition FromFile(BinlogPosition position) => new() { FilePosition = position };

    /// <summary>Start after the given GTIDs (one per domain), e.g. <c>0-1-100</c>. An empty list starts from the oldest binlog.</summary>
    public static BinlogStartPosition FromMariaDbGtids(string gtidPosition) => new() { MariaDbGtids = MariaDbGtid.ParseList(gtidPosition) };

    /// <summary>Start after every transaction contained in the set (MySQL).</summary>
    public static BinlogStartPosition FromMySqlGtidSet(MySqlGtidSet executed) => new() { MySqlGtids = executed };

    /// <summary>Start at the current end of the binlog (SHOW MASTER STATUS when connecting).</summary>
    public static BinlogStartPosition Current { get; } = new() { IsCurrent = true };
}
