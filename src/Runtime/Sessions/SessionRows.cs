using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace SchemaBuild.Runtime.Sessions;

/// <summary>Reads a result set into rows of values (DBNull as null), the same for every driver.</summary>
internal static class SessionRows
{
    /// <summary>
    /// Gives a command of any driver its positional parameters (null as DBNull) and logs it:
    /// the one place a session's statement is prepared before it runs.
    /// </summary>
    public static TCommand Prepare<TCommand>(TCommand command, Func<DbParameter> newParameter, IReadOnlyList<object?>? parameters, ILogger logger, string database)
        where TCommand : DbCommand
    {
        if (parameters is not null)
        {
            foreach (var value in parameters)
            {
                var parameter = newParameter();
                parameter.Value = value ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }
        }

        SessionLog.Statement(logger, database, command.CommandText, command.Parameters.Count);
        return command;
    }

    /// <summary>Runs a command of any driver and reads its rows; the command is disposed.</summary>
    public static async Task<IReadOnlyList<object?[]>> QueryAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using (command.ConfigureAwait(false))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await ReadAllAsync(reader, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a command of any driver for its row count; the command is disposed.</summary>
    public static async Task<long> ExecuteAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public static async Task<IReadOnlyList<object?[]>> ReadAllAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = await reader.IsDBNullAsync(i, cancellationToken).ConfigureAwait(false) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }
}
