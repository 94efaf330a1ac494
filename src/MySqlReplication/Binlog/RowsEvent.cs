using System.Collections.Generic;

namespace SchemaBuild.MySqlReplication.Binlog;

/// <summary>WRITE/UPDATE/DELETE_ROWS (v1, v2, MariaDB compressed) with decoded row images.</summary>
public sealed record RowsEvent(BinlogEventHeader Header, RowChangeKind Kind, TableMapEvent Table, IReadOnlyList<BinlogRow> Rows) : BinlogEvent(Header)
{
    /// <summary>STMT_END_F: last row event of the statement.</summary>
    public bool IsStatementEnd => (Flags & 1) != 0;
    public ushort Flags { get; init; }
}
