using System.Collections.Generic;

namespace SchemaBuild.MySqlReplication.Binlog;

/// <summary>The GTID state at the start of a MariaDB binlog file.</summary>
public sealed record MariaDbGtidListEvent(BinlogEventHeader Header, IReadOnlyList<MariaDbGtid> Gtids) : BinlogEvent(Header);
