using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Online;

namespace SchemaBuild.Runtime.Engines.Postgres.Online;

/// <summary>The replication slots of this database's ghost copies (named <see cref="PgGhostNames.Prefix"/>…), for status and cancel.</summary>
internal static class PgGhostSlots
{
    public static async Task<IReadOnlyList<StreamLeftover>> ListAsync(PostgresSession session, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(
            "SELECT s.slot_name::text, s.active, COALESCE(pg_wal_lsn_diff(pg_current_wal_lsn(), s.restart_lsn), 0)::bigint, "
            + "ARRAY(SELECT t.tablename::text FROM pg_publication_tables t WHERE t.pubname = s.slot_name ORDER BY 1) "
            + "FROM pg_replication_slots s WHERE s.database = current_database() AND s.slot_name LIKE $1 ORDER BY 1",
            new object?[] { PgGhostNames.Prefix.Replace("_", "\\_", System.StringComparison.Ordinal) + "%" }, cancellationToken).ConfigureAwait(false);
        return rows.Select(r => new StreamLeftover((string)r[0]!, (bool)r[1]!, (long)r[2]!, (string[])r[3]!)).ToList();
    }

    /// <summary>Drops a slot and its publication.</summary>
    public static Task DropAsync(PostgresSession session, string slot, CancellationToken cancellationToken) =>
        PgLogicalChangeStream.DropSlotAsync(new PgSql(session.Connection), slot, cancellationToken);
}
