using System;
using System.Collections.Generic;
using System.Data;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Sessions;

namespace SchemaBuild.Runtime.Engines.Postgres.Online;

/// <summary>
/// Runs the ghost copy's statements on one connection, inside its open transaction when there is
/// one (the cutover drains the stream into the shadow on the session that holds the locks).
/// </summary>
internal sealed class PgSql : IStatementRunner
{
    public PgSql(NpgsqlConnection connection)
    {
        Connection = connection;
    }

    public NpgsqlConnection Connection { get; }

    public NpgsqlTransaction? Transaction { get; set; }

    public IDdlWriter Writer { get; } = SqlDialects.For(DialectKind.Postgres).Writer;

    public static async Task<PgSql> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand("SELECT set_config('standard_conforming_strings', 'on', false)", connection))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return new PgSql(connection);
    }

    public NpgsqlCommand Command(string sql, IReadOnlyList<object?>? parameters = null)
    {
        var command = new NpgsqlCommand(sql, Connection, Transaction);
        if (parameters is not null)
        {
            foreach (var value in parameters)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
            }
        }

        return command;
    }

    public Task<long> ExecuteAsync(string sql, IReadOnlyList<object?>? parameters, CancellationToken cancellationToken) =>
        SessionRows.ExecuteAsync(Command(sql, parameters), cancellationToken);

    public Task<IReadOnlyList<object?[]>> QueryAsync(string sql, IReadOnlyList<object?>? parameters, CancellationToken cancellationToken) =>
        SessionRows.QueryAsync(Command(sql, parameters), cancellationToken);

    public async Task<object?> ScalarAsync(string sql, IReadOnlyList<object?>? parameters, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(sql, parameters, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0][0];
    }

    /// <summary>Runs <paramref name="work"/> in a transaction on this connection, committed when it returns.</summary>
    public Task InTransactionAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken, IsolationLevel isolation) =>
        SessionTransaction.RunNewAsync(Connection, Transaction, t => Transaction = (NpgsqlTransaction?)t, work, cancellationToken, isolation);

    public Task InTransactionAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken) =>
        InTransactionAsync(work, cancellationToken, IsolationLevel.ReadCommitted);

    public string Quote(QualifiedName name) => Writer.QuoteName(name);

    public string Quote(string identifier) => Writer.QuoteIdentifier(identifier);
}
