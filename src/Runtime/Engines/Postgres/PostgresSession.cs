using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Runtime.Connections;
using SchemaBuild.Runtime.Introspection;

using SchemaBuild.Runtime.Sessions;

namespace SchemaBuild.Runtime.Engines.Postgres;

/// <summary>A PostgreSQL target, through Npgsql.</summary>
internal sealed class PostgresSession : IDatabaseSession
{
    /// <summary>lock_not_available (lock_timeout) and deadlock_detected.</summary>
    private static readonly string[] LockWaitStates = { "55P03", "40P01" };

    private readonly NpgsqlConnection connection;
    private readonly bool ownsConnection;
    private NpgsqlTransaction? transaction;

    private PostgresSession(NpgsqlConnection connection, bool ownsConnection, string displayName)
    {
        this.connection = connection;
        this.ownsConnection = ownsConnection;
        DisplayName = displayName;
        Writer = SqlDialects.For(DialectKind.Postgres).Writer;
    }

    public DialectKind Dialect => DialectKind.Postgres;

    public string ServerVersion => connection.ServerVersion;

    public string DatabaseName => connection.Database;

    public string DisplayName { get; }

    public IDdlWriter Writer { get; }

    public string LongTextType => "text";

    /// <summary>Where statements (Debug) and a held deployment lock (Information) are logged; set by <see cref="DatabaseSessions"/>.</summary>
    internal Microsoft.Extensions.Logging.ILogger Logger { get; set; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>The server process id of this session, for tests that observe or terminate it.</summary>
    public int ProcessId => connection.ProcessID;

    /// <summary>The open connection, for engine roles that run on this session (ghost copy).</summary>
    internal NpgsqlConnection Connection => connection;

    /// <summary>
    /// The connection string this session was opened with, password included, for the sibling
    /// connections a ghost copy opens (copier, replication stream); null for an attached connection.
    /// </summary>
    internal string? SiblingConnectionString { get; private set; }

    public static async Task<PostgresSession> OpenAsync(ConnectionUrl url, TimeSpan commandTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        url.RequireDatabase();
        var connectionString = ConnectionString(url, commandTimeout);
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            if (ex is OperationCanceledException)
            {
                throw;
            }

            // Npgsql messages name the host, never the password; the wrapper redacts anyway and says what to do.
            throw ConnectionFailedException.From(url, ex, FailureKind(ex));
        }

        try
        {
            var session = await AttachAsync(connection, ownsConnection: true, url.ToString(), cancellationToken).ConfigureAwait(false);
            session.SiblingConnectionString = connectionString;
            return session;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// A session on an open connection (left open on dispose unless <paramref name="ownsConnection"/>),
    /// with the settings the writer assumes applied to it.
    /// </summary>
    internal static async Task<PostgresSession> AttachAsync(NpgsqlConnection connection, bool ownsConnection, string displayName, CancellationToken cancellationToken)
    {
        await ApplyWriterSettingsAsync(connection, cancellationToken).ConfigureAwait(false);
        return new PostgresSession(connection, ownsConnection, displayName);
    }

    /// <summary>
    /// The Npgsql connection string: the user's own connection string when given one, else the
    /// URL's parts; the resolved password and CA file; no pooling for URLs (one session per run).
    /// </summary>
    internal static string ConnectionString(ConnectionUrl url, TimeSpan commandTimeout)
    {
        var builder = url.ConnectionString is null
            ? new NpgsqlConnectionStringBuilder { Host = url.Host, Port = url.Port, Database = url.RequireDatabase(), Pooling = false, ApplicationName = "schemabuild" }
            : new NpgsqlConnectionStringBuilder(url.ConnectionString);
        builder.Username = url.User.Length == 0 ? null : url.User;
        builder.Password = url.Password.Length == 0 ? null : url.Password;
        builder.PersistSecurityInfo = false;
        builder.CommandTimeout = (int)Math.Min(int.MaxValue, Math.Ceiling(commandTimeout.TotalSeconds));
        if (url.CertificateAuthorityFile is { } ca)
        {
            builder.RootCertificate = ca;
        }

        if (url.Option("sslmode") is { } mode)
        {
            builder.SslMode = Enum.Parse<SslMode>(mode.Replace("-", string.Empty, StringComparison.Ordinal), ignoreCase: true);
        }

        if (url.Option("connect-timeout") is { } timeout)
        {
            builder.Timeout = int.Parse(timeout, CultureInfo.InvariantCulture);
        }

        if (url.Option("application-name") is { } application)
        {
            builder.ApplicationName = application;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// Makes the session read SQL the way the PostgreSQL writer writes it, whatever the database or
    /// role defaults (ALTER DATABASE/ROLE ... SET): standard-conforming strings (a backslash in '...'
    /// is a character, not an escape) and UTF8 on the wire.
    /// </summary>
    private static async Task ApplyWriterSettingsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT set_config('standard_conforming_strings', 'on', false), set_config('client_encoding', 'UTF8', false)", connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public string Parameter(int index) => "$" + (index + 1).ToString(CultureInfo.InvariantCulture);

    public Task<long> ExecuteAsync(string sql, IReadOnlyList<object?>? parameters, CancellationToken cancellationToken) =>
        SessionRows.ExecuteAsync(Command(sql, parameters), cancellationToken);

    public Task<IReadOnlyList<object?[]>> QueryAsync(string sql, IReadOnlyList<object?>? parameters, CancellationToken cancellationToken) =>
        SessionRows.QueryAsync(Command(sql, parameters), cancellationToken);

    public Task ExecuteBatchAsync(string sql, IReadOnlyList<IReadOnlyList<object?>> rows, CancellationToken cancellationToken)
    {
        SessionLog.Batch(Logger, DatabaseName, sql, rows.Count);
        return SessionBatch.ExecuteAsync(connection, transaction, () => new NpgsqlParameter(), SingleStatement.Require(Dialect, sql), rows, cancellationToken);
    }

    public async Task ApplyTimeoutsAsync(TimeSpan lockWait, TimeSpan statementTimeout, CancellationToken cancellationToken)
    {
        var lockMs = Math.Max(1, (long)lockWait.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
        var statementMs = Math.Max(1, (long)statementTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
        await QueryAsync("SELECT set_config('lock_timeout', $1, false), set_config('statement_timeout', $2, false)", new object?[] { lockMs, statementMs }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>duplicate_object (constraint), duplicate_table (table, index), duplicate_column.</summary>
    public bool IsAlreadyApplied(Exception exception) =>
        exception is PostgresException e && e.SqlState is "42710" or "42P07" or "42701";

    public bool IsLockWaitTimeout(Exception exception) =>
        exception is PostgresException e && Array.IndexOf(LockWaitStates, e.SqlState) >= 0;

    public async Task<bool> TryAcquireDeploymentLockAsync(string name, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", new object?[] { name }, cancellationToken).ConfigureAwait(false);
        return SessionLog.LockResult(Logger, DatabaseName, name, rows.Count > 0 && rows[0][0] is true);
    }

    public async Task ReleaseDeploymentLockAsync(string name, CancellationToken cancellationToken) =>
        await QueryAsync("SELECT pg_advisory_unlock(hashtextextended($1, 0))", new object?[] { name }, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<LongTransaction>> FindLongTransactionsAsync(QualifiedName? table, TimeSpan olderThan, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            "SELECT a.pid::text, extract(epoch FROM now() - a.xact_start)::float8, a.query FROM pg_stat_activity a "
            + "WHERE a.pid <> pg_backend_pid() AND a.datname = current_database() AND a.xact_start IS NOT NULL "
            + "AND a.xact_start <= now() - make_interval(secs => $1) "
            + "AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.relation = to_regclass($2::text))) "
            + "ORDER BY a.xact_start",
            new object?[] { Math.Max(0, olderThan.TotalSeconds), table is null ? null : Writer.QuoteName(table) }, cancellationToken).ConfigureAwait(false);
        var found = new List<LongTransaction>();
        foreach (var row in rows)
        {
            found.Add(new LongTransaction((string)row[0]!, TimeSpan.FromSeconds((double)row[1]!), row[2] as string));
        }

        return found;
    }

    public async Task<IReadOnlyList<string>> RepairBeforeStepAsync(PlanStep step, CancellationToken cancellationToken)
    {
        if (step.Strategy != Strategy.Concurrent)
        {
            return Array.Empty<string>();
        }

        // A failed CREATE INDEX CONCURRENTLY (lock timeout, cancel, kill) leaves an invalid index behind: drop it, then build again.
        var invalid = await QueryAsync(
            "SELECT n.nspname, c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT i.indisvalid",
            null, cancellationToken).ConfigureAwait(false);
        var repaired = new List<string>();
        foreach (var row in invalid)
        {
            var name = new QualifiedName((string)row[0]!, (string)row[1]!);
            if (!CreatesIndex(step, name.Name))
            {
                continue;
            }

            await ExecuteAsync("DROP INDEX CONCURRENTLY IF EXISTS " + Writer.QuoteName(name), null, cancellationToken).ConfigureAwait(false);
            repaired.Add($"dropped invalid index {name} left by an interrupted CREATE INDEX CONCURRENTLY; building it again");
        }

        return repaired;
    }

    public Task InTransactionAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken) =>
        SessionTransaction.RunNewAsync(connection, transaction, t => transaction = (NpgsqlTransaction?)t, work, cancellationToken);

    public async Task RunInTransactionAsync(IReadOnlyList<string> statements, CancellationToken cancellationToken)
    {
        SessionLog.Transaction(Logger, DatabaseName, statements);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var statement in statements)
        {
            await using var command = new NpgsqlCommand(SingleStatement.Require(Dialect, statement), connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> TableExistsAsync(string name, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1", new object?[] { name }, cancellationToken).ConfigureAwait(false)).Count > 0;

    public ISchemaIntrospector CreateIntrospector(IReadOnlyCollection<string> excludedTables) => new PostgresIntrospector(this, excludedTables);

    public ValueTask DisposeAsync() => ownsConnection ? connection.DisposeAsync() : ValueTask.CompletedTask;

    private bool CreatesIndex(PlanStep step, string indexName)
    {
        var pattern = "\\bINDEX\\s+(CONCURRENTLY\\s+)?(IF\\s+NOT\\s+EXISTS\\s+)?(" + Regex.Escape(Writer.QuoteIdentifier(indexName)) + "|" + Regex.Escape(indexName) + ")(\\s|$)";
        foreach (var statement in step.Sql)
        {
            if (statement.StartsWith("CREATE", StringComparison.OrdinalIgnoreCase) && Regex.IsMatch(statement, pattern, RegexOptions.IgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private NpgsqlCommand Command(string sql, IReadOnlyList<object?>? parameters) =>
        SessionRows.Prepare(new NpgsqlCommand(SingleStatement.Require(Dialect, sql), connection, transaction), () => new NpgsqlParameter(), parameters, Logger, DatabaseName);

    /// <summary>What the server's SQLSTATE says about a failed connection: invalid_password / invalid_authorization_specification, invalid_catalog_name.</summary>
    private static ConnectionFailureKind? FailureKind(Exception exception) => exception is PostgresException e
        ? e.SqlState switch
        {
            "28P01" or "28000" => ConnectionFailureKind.Authentication,
            "3D000" => ConnectionFailureKind.UnknownDatabase,
            _ => null,
        }
        : null;
}
