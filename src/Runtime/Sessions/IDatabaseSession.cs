using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Runtime.Introspection;

namespace SchemaBuild.Runtime.Sessions;

/// <summary>
/// One open connection to a target database, with everything engine-specific the deployer needs:
/// statements and queries with parameters, lock-wait and statement timeouts, the deployment lock,
/// long-transaction checks, repairs of interrupted steps and the introspector. One implementation
/// per engine (<see cref="MySqlSession"/>, <see cref="PostgresSession"/>), so shared code never
/// asks which engine it talks to.
/// </summary>
public interface IDatabaseSession : IAsyncDisposable
{
    /// <summary>The dialect of the server, as the server reports it (MariaDB vs MySQL).</summary>
    DialectKind Dialect { get; }

    /// <summary>The server's version string, e.g. <c>10.11.9-MariaDB</c> or <c>15.8</c>.</summary>
    string ServerVersion { get; }

    /// <summary>The database the session is connected to.</summary>
    string DatabaseName { get; }

    /// <summary>The connection URL with the password replaced by <c>***</c>.</summary>
    string DisplayName { get; }

    /// <summary>The dialect's SQL writer: every identifier and literal goes through it.</summary>
    IDdlWriter Writer { get; }

    /// <summary>The placeholder for the parameter at a 0-based position (<c>?</c> or <c>$1</c>).</summary>
    string Parameter(int index);

    /// <summary>Runs one statement; values go as parameters. Returns the affected rows.</summary>
    Task<long> ExecuteAsync(string sql, IReadOnlyList<object?>? parameters, CancellationToken cancellationToken);

    /// <summary>Runs one statement once per row of values, in one round trip (MySqlBatch / NpgsqlBatch).</summary>
    Task ExecuteBatchAsync(string sql, IReadOnlyList<IReadOnlyList<object?>> rows, CancellationToken cancellationToken);

    /// <summary>Runs a query and returns its rows (DBNull as null).</summary>
    Task<IReadOnlyList<object?[]>> QueryAsync(string sql, IReadOnlyList<object?>? parameters, CancellationToken cancellationToken);

    /// <summary>Sets the session's lock wait (<c>lock_wait_timeout</c> / <c>lock_timeout</c>) and statement timeout.</summary>
    Task ApplyTimeoutsAsync(TimeSpan lockWait, TimeSpan statementTimeout, CancellationToken cancellationToken);

    /// <summary>True when the error says the statement's object already exists (duplicate table, column, index or constraint): the statement was applied before.</summary>
    bool IsAlreadyApplied(Exception exception);

    /// <summary>True when the error means the statement gave up waiting for a lock (retryable).</summary>
    bool IsLockWaitTimeout(Exception exception);

    /// <summary>Takes the named advisory lock without waiting; false when another session holds it.</summary>
    Task<bool> TryAcquireDeploymentLockAsync(string name, CancellationToken cancellationToken);

    Task ReleaseDeploymentLockAsync(string name, CancellationToken cancellationToken);

    /// <summary>Open transactions older than the bound that may hold locks on the table (all of them when the engine cannot tell).</summary>
    Task<IReadOnlyList<LongTransaction>> FindLongTransactionsAsync(QualifiedName? table, TimeSpan olderThan, CancellationToken cancellationToken);

    /// <summary>
    /// Before (re)running a step: undoes what an interrupted earlier attempt left behind (an invalid
    /// PostgreSQL index from a failed CONCURRENTLY). Returns what was repaired, for the log.
    /// </summary>
    Task<IReadOnlyList<string>> RepairBeforeStepAsync(PlanStep step, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> (row changes through this session) in one transaction,
    /// committed when it returns and rolled back when it throws. Not for DDL: MySQL commits it.
    /// </summary>
    Task InTransactionAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken);

    /// <summary>Runs statements in one transaction where the engine has transactional DDL; one by one otherwise.</summary>
    Task RunInTransactionAsync(IReadOnlyList<string> statements, CancellationToken cancellationToken);

    /// <summary>The introspector for this session; tables named in <paramref name="excludedTables"/> (the control tables) are left out.</summary>
    ISchemaIntrospector CreateIntrospector(IReadOnlyCollection<string> excludedTables);

    /// <summary>True when a table of that name exists in the session's database (current schema on PostgreSQL).</summary>
    Task<bool> TableExistsAsync(string name, CancellationToken cancellationToken);

    /// <summary>A SQL type able to hold long text (error messages, models).</summary>
    string LongTextType { get; }
}
