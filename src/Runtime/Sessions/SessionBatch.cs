using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Threading;
using System.Threading.Tasks;

namespace SchemaBuild.Runtime.Sessions;

/// <summary>Runs one statement for many rows of parameters in one round trip, the same for every driver.</summary>
internal static class SessionBatch
{
    /// <param name="newParameter">The driver's parameter type (batch commands of some drivers cannot create their own).</param>
    public static async Task ExecuteAsync(
        DbConnection connection, DbTransaction? transaction, Func<DbParameter> newParameter, string sql, IReadOnlyList<IReadOnlyList<object?>> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        // The statements are sent together and run in order.
        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        foreach (var row in rows)
        {
            var item = batch.CreateBatchCommand();
            item.CommandText = sql;
            foreach (var value in row)
            {
                var parameter = newParameter();
                parameter.Value = value ?? DBNull.Value;
                item.Parameters.Add(parameter);
            }

            batch.BatchCommands.Add(item);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
