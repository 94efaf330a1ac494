using System.Collections.Generic;

namespace SchemaBuild.MySqlReplication.Binlog;

/// <summary>
/// One changed row. Values are indexed by column position; a column absent from
/// the image (binlog_row_image=MINIMAL) and SQL NULL are both null. Before is null
/// for inserts, After for deletes.
/// </summary>
public sealed record BinlogRow(IReadOnlyList<object?>? Before, IReadOnlyList<object?>? After);
