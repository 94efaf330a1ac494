using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Engines.MySql.Online;

/// <summary>
/// Applies changed keys in one transaction: the shadow's rows for those keys are deleted, then the
/// original's current rows are copied again with <c>REPLACE … SELECT</c> through the column mapping.
/// The result only depends on the original's rows, so replaying keys is harmless and the values never
/// travel through the client (no type conversion of row images).
/// </summary>
internal sealed class MySqlChangeApplier : IChangeApplier
{
    private readonly MySqlSession session;
    private readonly MySqlCopyTable table;

    public MySqlChangeApplier(MySqlSession session, MySqlCopyTable table)
    {
        this.session = session;
        this.table = table;
    }

    public async Task<long> ApplyAsync(IReadOnlyCollection<RowKey> keys, object? writer, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return 0;
        }

        var target = writer as MySqlSession ?? session;
        long written = 0;
        var work = async (CancellationToken ct) =>
        {
            var parameters = new List<object?>();
            written += await target.ExecuteAsync($"DELETE FROM {table.Shadow} WHERE {KeySql.In(table.KeyShadow, keys, parameters)}", parameters, ct).ConfigureAwait(false);
            parameters.Clear();
            var where = KeySql.In(table.KeyOriginal, keys, parameters);
            var locking = writer is null ? " LOCK IN SHARE MODE" : string.Empty;
            written += await target.ExecuteAsync($"REPLACE INTO {table.Shadow} ({table.ShadowColumns}) SELECT {table.SourceColumns} FROM {table.Original} WHERE {where}{locking}", parameters, ct).ConfigureAwait(false);
        };
        if (writer is null)
        {
            await target.InTransactionAsync(work, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // Under LOCK TABLES (cutover): nobody else can write either table; autocommit statements.
            await work(cancellationToken).ConfigureAwait(false);
        }

        return written;
    }
}
