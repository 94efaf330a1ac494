using System.Collections.Generic;

namespace SchemaBuild.MySqlReplication.Binlog;

/// <summary>Maps a table id to a table and its column layout; precedes the row events that use it.</summary>
public sealed record TableMapEvent(BinlogEventHeader Header, ulong TableId, string Database, string Table, IReadOnlyList<BinlogColumn> Columns) : BinlogEvent(Header);
