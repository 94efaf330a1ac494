using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Engines.MySql.Online;

/// <summary>
/// Compares a chunk of original and shadow: row count and <c>BIT_XOR(CRC32(…))</c> over the compared
/// columns (NULL flags included), both read in one <c>START TRANSACTION WITH CONSISTENT SNAPSHOT</c>.
/// </summary>
internal sealed class MySqlChecksum : IChecksum
{
    private readonly MySqlSession session;
    private readonly MySqlCopyTable table;

    public MySqlChecksum(MySqlSession session, MySqlCopyTable table)
    {
        this.session = session;
        this.table = table;
    }

    public async Task<ChecksumChunk?> CompareNextAsync(RowKey? after, int rows, CancellationToken cancellationToken)
    {
        await session.ExecuteAsync("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY", null, cancellationToken).ConfigureAwait(false);
        try
        {
            var last = await MySqlRowCopier.ChunkEndAsync(session, table, after, rows, cancellationToken).ConfigureAwait(false);
            if (last is null)
            {
                return null;
            }

            var original = await SumAsync(table.Original, table.KeyOriginal, table.ChecksumColumns.Select(c => c.Original).ToList(), after, last, cancellationToken).ConfigureAwait(false);
            var shadow = await SumAsync(table.Shadow, table.KeyShadow, table.ChecksumColumns.Select(c => c.Shadow).ToList(), after, last, cancellationToken).ConfigureAwait(false);
            return new ChecksumChunk(last, original.Rows, original == shadow);
        }
        finally
        {
            await session.ExecuteAsync("COMMIT", null, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<(long Rows, string Sum)> SumAsync(string name, IReadOnlyList<string> key, IReadOnlyList<string> columns, RowKey? after, RowKey last, CancellationToken cancellationToken)
    {
        var parameters = new List<object?>();
        var where = KeySql.Above(key, after, parameters) + " AND " + KeySql.AtMost(key, last, parameters);
        var flags = string.Join(", ", columns.Select(c => $"ISNULL({c})"));
        var row = (await session.QueryAsync(
            $"SELECT COUNT(*), COALESCE(BIT_XOR(CRC32(CONCAT_WS('#', {string.Join(", ", columns)}, {flags}))), 0) FROM {name} WHERE {where}",
            parameters, cancellationToken).ConfigureAwait(false))[0];
        return (Convert.ToInt64(row[0], System.Globalization.CultureInfo.InvariantCulture), Convert.ToString(row[1], System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
    }
}
