using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MySqlConnector;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Runtime.Connections;
using SchemaBuild.Runtime.Introspection;

using SchemaBuild.Runtime.Sessions;

namespace SchemaBuild.Runtime.Engines.MySql;

/// <summary>A MySQL or MariaDB target, through MySqlConnector.</summary>
internal sealed class MySqlSession : IDatabaseSession, IStatementRunner
{
    /// <summary>ER_LOCK_WAIT_TIMEOUT (metadata and row locks) and ER_LOCK_DEADLOCK.</summary>
    private static readonly int[] LockWaitErrors = { 1205, 1213 };

    private readonly MySqlConnection connection;
    private readonly bool ownsConnection;
    private MySqlTransaction? transaction;

    private MySqlSession(MySqlConnection connection, bool ownsConnection, string displayName, DialectKind dialect, string version, string database, uint connectionId)
    {
        this.connection = connection;
        this.ownsConnection = ownsConnection;
        DisplayName = displayName;
        Dialect = dialect;
        ServerVersion = version;
        DatabaseName = database;
        ConnectionId = connectionId;
        Writer = SqlDialects.For(dialect).Writer;
    }

    public DialectKind Dialect { get; }

    /// <summary>
    /// What <c>VERSION()</c> returns, e.g. <c>10.11.9-MariaDB-log</c>. Not the handshake's version:
    /// MariaDB announces itself there as <c>5.5.5-10.11.9-MariaDB</c> for old clients, which would
    /// plan a live MariaDB 10.11 as 5.5 (no instant ADD COLUMN).
    /// </summary>
    public string ServerVersion { get; }

    public string DatabaseName { get; }

    public string DisplayName { get; }

    public IDdlWriter Writer { get; }

    public string LongTextType => "longtext";

    /// <summary>Where statements (Debug) and a held deployment lock (Information) are logged; set by <see cref="DatabaseSessions"/>.</summary>
    internal Microsoft.Extensions.Logging.ILogger Logger { get; set; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>The server's connection id, for tests that kill or observe this session.</summary>
    public uint ConnectionId { get; }

    public static async Task<MySqlSession> OpenAsync(ConnectionUrl url, TimeSpan commandTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        url.RequireDatabase();
        var connection = new MySqlConnection(ConnectionString(url, commandTimeout));
        try
        {
            MariaDbEd25519Plugin.EnsureRegistered();
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            if (ex is OperationCanceledException)
            {
                throw;
            }

            throw ConnectionFailedException.From(url, ex, FailureKind(ex));
        }

        var session = await AttachAsync(connection, ownsConnection: true, url.ToString(), cancellationToken).ConfigureAwait(false);
        session.Url = url;
        return session;
    }

    /// <summary>The URL the session was opened from (with its resolved password), for the ghost copy's extra connections and binlog stream; null for an attached connection.</summary>
    internal ConnectionUrl? Url { get; private set; }

    /// <summary>Opens another session with the same settings (ghost copy: copier, cutover sessions).</summary>
    internal async Task<MySqlSession> OpenSiblingAsync(CancellationToken cancellationToken)
    {
        var sibling = connection.Clone();
        await sibling.OpenAsync(cancellationToken).ConfigureAwait(false);
        var session = await AttachAsync(sibling, ownsConnection: true, DisplayName, cancellationToken).ConfigureAwait(false);
        session.Logger = Logger;
        session.Url = Url;
        return session;
    }

    /// <summary>
    /// A session on an open connection: one the caller owns (<paramref name="ownsConnection"/> false,
    /// left open on dispose) or one opened here. Reads the server's real version and database and
    /// sets the session's character set.
    /// </summary>
    internal static async Task<MySqlSession> AttachAsync(MySqlConnection connection, bool ownsConnection, string displayName, CancellationToken cancellationToken)
    {
        try
        {
            await ApplyWriterSettingsAsync(connection, cancellationToken).ConfigureAwait(false);

            string version, database;
            uint id;
            await using (var command = new MySqlCommand("SELECT VERSION(), DATABASE(), CONNECTION_ID()", connection))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                version = Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture) ?? string.Empty;
                database = reader.IsDBNull(1) ? string.Empty : Convert.ToString(reader.GetValue(1), CultureInfo.InvariantCulture)!;
                id = Convert.ToUInt32(reader.GetValue(2), CultureInfo.InvariantCulture);
            }

            if (database.Length == 0)
            {
                throw new FormatException($"{displayName} names no database; add it to the connection (Database=shop, or after the port in a URL)");
            }

            var dialect = version.Contains("MariaDB", StringComparison.OrdinalIgnoreCase) ? DialectKind.MariaDb : DialectKind.MySql;
            return new MySqlSession(connection, ownsConnection, displayName, dialect, version, database, id);
        }
        catch
        {
            if (ownsConnection)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>
    /// The MySqlConnector connection string: the user's own connection string when given one, else
    /// the URL's parts (no pooling: one session per run); the resolved password and CA file; and the
    /// settings the sessions rely on (values returned as stored, user variables left to the server).
    /// </summary>
    internal static string ConnectionString(ConnectionUrl url, TimeSpan commandTimeout)
    {
        var builder = url.ConnectionString is null
            ? new MySqlConnectionStringBuilder { Server = url.Host, Port = (uint)url.Port, Database = url.RequireDatabase(), Pooling = false, ApplicationName = "schemabuild" }
            : new MySqlConnectionStringBuilder(url.ConnectionString);
        builder.UserID = url.User;
        builder.Password = url.Password;
        builder.PersistSecurityInfo = false;
        builder.DefaultCommandTimeout = (uint)Math.Min(int.MaxValue, Math.Ceiling(commandTimeout.TotalSeconds));
        builder.CharacterSet = "utf8mb4";
        // DDL may name user variables (@v in triggers and routines): not parameters.
        builder.AllowUserVariables = true;
        builder.GuidFormat = MySqlGuidFormat.None;
        builder.TreatTinyAsBoolean = false;
        if (url.ConnectionString is null)
        {
            // caching_sha2_password's first login over plain TCP needs the server's RSA key.
            builder.AllowPublicKeyRetrieval = true;
        }

        if (url.CertificateAuthorityFile is { } ca)
        {
            builder.SslCa = ca;
        }

        if (url.Option("sslmode") is { } mode)
        {
            builder.SslMode = mode switch
            {
                "disable" => MySqlSslMode.None,
                "allow" or "prefer" => MySqlSslMode.Preferred,
                "require" => MySqlSslMode.Required,
                "verify-ca" => MySqlSslMode.VerifyCA,
                _ => MySqlSslMode.VerifyFull,
            };
        }

        if (url.Option("connect-timeout") is { } timeout)
        {
            builder.ConnectionTimeout = uint.Parse(timeout, CultureInfo.InvariantCulture);
        }

        return builder.ConnectionString;
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
        await using (var names = new MySqlCommand("SET NAMES utf8mb4", connection))
        {
            await names.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        string modes;
        await using (var read = new MySqlCommand("SELECT @@SESSION.sql_mode", connection))
        {
            modes = Convert.ToString(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) ?? string.Empty;
        }

        var kept = modes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(mode => Array.IndexOf(SqlModesOff, mode.ToUpperInvariant()) < 0);
        await using var set = new MySqlCommand("SET SESSION sql_mode = @modes", connection);
        set.Parameters.AddWithValue("@modes", string.Join(",", kept));
        await set.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The warnings of a statement that had any: the driver asks for them (<c>SHOW WARNINGS</c>) only then, and only
    /// while a handler is attached, so a statement without warnings costs no second round trip.
    /// </summary>
    internal event MySqlInfoMessageEventHandler? Warnings
    {
        add => connection.InfoMessage += value;
        remove => connection.InfoMessage -= value;
    }

    public string Parameter(int index) => "?";

    public Task<long> ExecuteAsync(string sql, IReadOnlyList<object?>? parameters, CancellationToken cancellationToken) =>
        SessionRows.ExecuteAsync(Command(sql, parameters), cancellationToken);

    public Task<IReadOnlyList<object?[]>> QueryAsync(string sql, IReadOnlyList<object?>? parameters, CancellationToken cancellationToken) =>
        SessionRows.QueryAsync(Command(sql, parameters), cancellationToken);

    public Task ExecuteBatchAsync(string sql, IReadOnlyList<IReadOnlyList<object?>> rows, CancellationToken cancellationToken)
    {
        SessionLog.Batch(Logger, DatabaseName, sql, rows.Count);
        return SessionBatch.ExecuteAsync(connection, transaction, () => new MySqlParameter(), SingleStatement.Require(Dialect, sql), rows, cancellationToken);
    }

    public async Task ApplyTimeoutsAsync(TimeSpan lockWait, TimeSpan statementTimeout, CancellationToken cancellationToken)
    {
        // lock_wait_timeout covers metadata locks (the DDL lock queue), innodb_lock_wait_timeout row locks; whole seconds, at least 1.
        var seconds = (long)Math.Max(1, Math.Ceiling(lockWait.TotalSeconds));
        await ExecuteAsync("SET SESSION lock_wait_timeout = ?, innodb_lock_wait_timeout = ?", new object?[] { seconds, seconds }, cancellationToken).ConfigureAwait(false);
        var statementSetting = Dialect == DialectKind.MariaDb
            ? "SET SESSION max_statement_time = ?"
            : "SET SESSION max_execution_time = ?";
        object value = Dialect == DialectKind.MariaDb ? Math.Round(Math.Max(1, statementTimeout.TotalSeconds), 3) : (long)statementTimeout.TotalMilliseconds;
        await ExecuteAsync(statementSetting, new[] { value }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>ER_TABLE_EXISTS_ERROR, ER_DUP_FIELDNAME, ER_DUP_KEYNAME, ER_FK_DUP_NAME, ER_DUP_CONSTRAINT_NAME, ER_CHECK_CONSTRAINT_DUP_NAME (MySQL).</summary>
    public bool IsAlreadyApplied(Exception exception) =>
        exception is MySqlException e && e.Number is 1050 or 1060 or 1061 or 1826 or 3822;

    public bool IsLockWaitTimeout(Exception exception) =>
        exception is MySqlException e && Array.IndexOf(LockWaitErrors, e.Number) >= 0;

    public async Task<bool> TryAcquireDeploymentLockAsync(string name, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync("SELECT GET_LOCK(?, 0)", new object?[] { LockName(name) }, cancellationToken).ConfigureAwait(false);
        return SessionLog.LockResult(Logger, DatabaseName, name, rows.Count > 0 && Convert.ToInt64(rows[0][0] ?? 0L, CultureInfo.InvariantCulture) == 1);
    }

    public async Task ReleaseDeploymentLockAsync(string name, CancellationToken cancellationToken) =>
        await QueryAsync("SELECT RELEASE_LOCK(?)", new object?[] { LockName(name) }, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<LongTransaction>> FindLongTransactionsAsync(QualifiedName? table, TimeSpan olderThan, CancellationToken cancellationToken)
    {
        // innodb_trx does not say which tables a transaction touched: every long transaction may hold a metadata lock on the table,
        // except one whose session works in another database (processlist db); a session with no default database may touch any.
        var rows = await QueryAsync(
            "SELECT t.trx_mysql_thread_id, TIMESTAMPDIFF(SECOND, t.trx_started, NOW()), t.trx_query FROM information_schema.innodb_trx t "
            + "LEFT JOIN information_schema.processlist p ON p.id = t.trx_mysql_thread_id "
            + "WHERE t.trx_mysql_thread_id <> CONNECTION_ID() AND t.trx_started <= NOW() - INTERVAL ? SECOND AND (p.db IS NULL OR p.db = DATABASE()) ORDER BY t.trx_started",
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

    public Task InTransactionAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken) =>
        SessionTransaction.RunNewAsync(connection, transaction, t => transaction = (MySqlTransaction?)t, work, cancellationToken);

    public async Task RunInTransactionAsync(IReadOnlyList<string> statements, CancellationToken cancellationToken)
    {
        // MySQL DDL commits implicitly: each statement is atomic on its own.
        foreach (var statement in statements)
        {
            await ExecuteAsync(statement, null, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<bool> TableExistsAsync(string name, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?", new object?[] { name }, cancellationToken).ConfigureAwait(false)).Count > 0;

    public ISchemaIntrospector CreateIntrospector(IReadOnlyCollection<string> excludedTables) => new MySqlIntrospector(this, excludedTables);

    public ValueTask DisposeAsync() => ownsConnection ? connection.DisposeAsync() : ValueTask.CompletedTask;

    /// <summary>GET_LOCK names are server-wide: scope the lock to the database.</summary>
    private string LockName(string name) => (name + ":" + DatabaseName) is var full && full.Length <= 64 ? full : full.Substring(0, 64);

    private MySqlCommand Command(string sql, IReadOnlyList<object?>? parameters) =>
        SessionRows.Prepare(new MySqlCommand(SingleStatement.Require(Dialect, sql), connection, transaction), () => new MySqlParameter(), parameters, Logger, DatabaseName);

    /// <summary>What the error code says about a failed connection: access denied (1045, 1698), no access to the database (1044), unknown database (1049), no server reached (1042).</summary>
    private static ConnectionFailureKind? FailureKind(Exception exception) => exception is MySqlException e
        ? e.Number switch
        {
            1045 or 1698 => ConnectionFailureKind.Authentication,
            1044 or 1049 => ConnectionFailureKind.UnknownDatabase,
            // MySqlConnector's own code for "no server answered" (refused, unknown host, connect timeout).
            (int)MySqlErrorCode.UnableToConnectToHost => ConnectionFailureKind.Unreachable,
            _ => null,
        }
        : null;
}
