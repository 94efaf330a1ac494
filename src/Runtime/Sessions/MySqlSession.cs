using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.MySqlClient;
using SchemaBuild.Runtime.Connections;
using SchemaBuild.Runtime.Introspection;

namespace SchemaBuild.Runtime.Sessions;

/// <summary>A MySQL or MariaDB target, through SchemaBuild.MySqlClient.</summary>
public sealed class MySqlSession : IDatabaseSession
{
    /// <summary>ER_LOCK_WAIT_TIMEOUT (metadata and row locks) and ER_LOCK_DEADLOCK.</summary>
    private static readonly int[] LockWaitErrors = { 1205, 1213 };

    private readonly MySqlConnection connection;
    private readonly ConnectionUrl url;

    private MySqlSession(MySqlConnection connection, ConnectionUrl url, DialectKind dialect, string database)
    {
        this.connection = connection;
        this.url = url;
        Dialect = dialect;
        DatabaseName = database;
        Writer = SqlDialects.For(dialect).Writer;
    }

    public DialectKind Dialect { get; }

    public string ServerVersion => connection.ServerVersion;

    public string DatabaseName { get; }

    public string DisplayName => url.ToString();

    public IDdlWriter Writer { get; }

    public string LongTextType => "longtext";

    /// <summary>The server's connection id, for tests that kill or observe this session.</summary>
    public uint ConnectionId => connection.ConnectionId;

    public static async Task<MySqlSession> OpenAsync(ConnectionUrl url, TimeSpan commandTimeout, CancellationToken cancellationToken)
    {
        var database = url.RequireDatabase();
        var options = MySqlConnectionOptions.Parse(url.Secret).WithTimeouts(command: commandTimeout);
        MySqlConnection connection;
        try
        {
            connection = await MySqlConnection.OpenAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw ConnectionFailedException.From(url, ex, FailureKind(ex));
        }

        try
        {
            var isMariaDb = connection.ServerVersion.Contains("MariaDB", StringComparison.OrdinalIgnoreCase);
            var dialect = isMariaDb ? DialectKind.MariaDb : DialectKind.MySql;
            await ApplyWriterSettingsAsync(connection, cancellationToken).ConfigureAwait(false);
            return new MySqlSession(connection, url, dialect, database);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Settings that change how the server reads SQL text and that a server or database may impose:
    /// sql_mode flags the writer does not assume are turned off for this session.
    /// </summary>
    internal static readonly string[] SqlModesOff =
    {
        // The writer escapes with backslashes (and CHECK/DEFAULT text is MySQL text with backslash escapes).
        "NO_BACKSLASH_ESCAPES",
        // The writer quotes identifiers with backticks and strings with ' only; these read "..." as a name or change the parser.
        "ANSI_QUOTES", "ANSI", "ORACLE", "MSSQL", "DB2", "POSTGRESQL", "MAXDB",
    };

    /// <summary>
    /// Makes the session read SQL the way the MySQL writer writes it, whatever the server's defaults:
    /// utf8mb4 on the wire, and the sql_mode flags in <see cref="SqlModesOff"/> explicitly off
    /// (the server's other modes, e.g. strict mode, stay as they are).
    /// </summary>
    private static async Task ApplyWriterSettingsAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync("SET NAMES utf8mb4", cancellationToken).ConfigureAwait(false);
        var modes = Convert.ToString(await connection.QueryScalarAsync("SELECT @@SESSION.sql_mode", cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) ?? string.Empty;
        var kept = modes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(mode => Array.IndexOf(SqlModesOff, mode.ToUpperInvariant()) < 0);
        await using var statement = await connection.PrepareAsync("SET SESSION sql_mode = ?", cancellationToken).ConfigureAwait(false);
        await statement.ExecuteAsync(new object?[] { string.Join(",", kept) }, cancellationToken).ConfigureAwait(false);
    }

    public string Parameter(int index) => "?";

    public async Task<long> ExecuteAsync(string sql, IReadOnlyList<object?>? parameters, CancellationToken cancellationToken)
    {
        if (parameters is null || parameters.Count == 0)
        {
            return await connection.ExecuteAsync(sql, cancellationToken).ConfigureAwait(false);
        }

        await using var statement = await connection.PrepareAsync(sql, cancellationToken).ConfigureAwait(false);
        return await statement.ExecuteAsync(parameters, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<object?[]>> QueryAsync(string sql, IReadOnlyList<object?>? parameters, CancellationToken cancellationToken)
    {
        if (parameters is null || parameters.Count == 0)
        {
            await using var reader = await connection.QueryAsync(sql, cancellationToken).ConfigureAwait(false);
            return await ReadAllAsync(reader, cancellationToken).ConfigureAwait(false);
        }

        await using var statement = await connection.PrepareAsync(sql, cancellationToken).ConfigureAwait(false);
        await using var prepared = await statement.QueryAsync(parameters, cancellationToken).ConfigureAwait(false);
        return await ReadAllAsync(prepared, cancellationToken).ConfigureAwait(false);
    }

    public async Task ApplyTimeoutsAsync(TimeSpan lockWait, TimeSpan statementTimeout, CancellationToken cancellationToken)
    {
        // lock_wait_timeout covers metadata locks (the DDL lock queue), innodb_lock_wait_timeout row locks; whole seconds, at least 1.
        var seconds = Math.Max(1, (int)Math.Ceiling(lockWait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await connection.ExecuteAsync($"SET SESSION lock_wait_timeout = {seconds}, innodb_lock_wait_timeout = {seconds}", cancellationToken).ConfigureAwait(false);
        var statementSeconds = Math.Max(1, statementTimeout.TotalSeconds).ToString("0.###", CultureInfo.InvariantCulture);
        var statementSetting = Dialect == DialectKind.MariaDb
            ? $"SET SESSION max_statement_time = {statementSeconds}"
            : $"SET SESSION max_execution_time = {(long)statementTimeout.TotalMilliseconds}";
        await connection.ExecuteAsync(statementSetting, cancellationToken).ConfigureAwait(false);
    }

    public bool IsLockWaitTimeout(Exception exception) =>
        exception is MySqlException e && Array.IndexOf(LockWaitErrors, e.ErrorCode) >= 0;

    public async Task<bool> TryAcquireDeploymentLockAsync(string name, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync("SELECT GET_LOCK(?, 0)", new object?[] { LockName(name) }, cancellationToken).ConfigureAwait(false);
        return rows.Count > 0 && Convert.ToInt64(rows[0][0] ?? 0L, CultureInfo.InvariantCulture) == 1;
    }

    public async Task ReleaseDeploymentLockAsync(string name, CancellationToken cancellationToken) =>
        await QueryAsync("SELECT RELEASE_LOCK(?)", new object?[] { LockName(name) }, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<LongTransaction>> FindLongTransactionsAsync(QualifiedName? table, TimeSpan olderThan, CancellationToken cancellationToken)
    {
        // innodb_trx does not say which tables a transaction touched: every long transaction may hold a metadata lock on the table.
        var rows = await QueryAsync(
            "SELECT trx_mysql_thread_id, TIMESTAMPDIFF(SECOND, trx_started, NOW()), trx_query FROM information_schema.innodb_trx "
            + "WHERE trx_mysql_thread_id <> CONNECTION_ID() AND trx_started <= NOW() - INTERVAL ? SECOND ORDER BY trx_started",
            new object?[] { (long)Math.Max(0, olderThan.TotalSeconds) }, cancellationToken).ConfigureAwait(false);
        var found = new List<LongTransaction>();
        foreach (var row in rows)
        {
            found.Add(new LongTransaction(
                Convert.ToString(row[0], CultureInfo.InvariantCulture) ?? "?",
                TimeSpan.FromSeconds(Convert.ToDouble(row[1] ?? 0L, CultureInfo.InvariantCulture)),
                row[2] as string));
        }

        return found;
    }

    public Task<IReadOnlyList<string>> RepairBeforeStepAsync(PlanStep step, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(Array.Empty<string>());

    public async Task RunInTransactionAsync(IReadOnlyList<string> statements, CancellationToken cancellationToken)
    {
        // MySQL DDL commits implicitly: each statement is atomic on its own.
        foreach (var statement in statements)
        {
            await connection.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<bool> TableExistsAsync(string name, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?", new object?[] { name }, cancellationToken).ConfigureAwait(false)).Count > 0;

    public ISchemaIntrospector CreateIntrospector(IReadOnlyCollection<string> excludedTables) => new MySqlIntrospector(this, excludedTables);

    public ValueTask DisposeAsync() => connection.DisposeAsync();

    /// <summary>GET_LOCK names are server-wide: scope the lock to the database.</summary>
    private string LockName(string name) => (name + ":" + DatabaseName) is var full && full.Length <= 64 ? full : full.Substring(0, 64);

    private static async Task<IReadOnlyList<object?[]>> ReadAllAsync(MySqlDataReader reader, CancellationToken cancellationToken)
    {
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>What the server's error code says about a failed connection: access denied (1045, 1698), no access to the database (1044), unknown database (1049).</summary>
    private static ConnectionFailureKind? FailureKind(Exception exception) => exception is MySqlException e
        ? e.ErrorCode switch
        {
            1045 or 1698 => ConnectionFailureKind.Authentication,
            1044 or 1049 => ConnectionFailureKind.UnknownDatabase,
            _ => null,
        }
        : null;
}
