using System.Collections.Generic;

namespace SchemaBuild.MySqlClient.Binlog;

/// <summary>The GTID state at the start of a MariaDB binlog file.</summary>
public sealed record MariaDbGtidListEvent(BinlogEventHeader Header, IReadOnlyList<MariaDbGtid> Gtids) : BinlogEvent(Header);
