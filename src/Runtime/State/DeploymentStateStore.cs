using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Core.Serialization;
using SchemaBuild.Runtime.Sessions;

namespace SchemaBuild.Runtime.State;

/// <summary>
/// Deployment state in the target database: one row per deployment and one per step (status,
/// attempts, statements done, timings, errors, who and when). Any process can resume from it or
/// report on it. Names are configurable (<see cref="StateTableNames"/>); identifiers go through the
/// dialect's quoting, values as parameters. Times are stored as ISO 8601 UTC text, so the tables
/// are the same on every engine.
/// </summary>
public sealed class DeploymentStateStore
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    private const string VersionKey = "control_tables";

    private const string DeployedModelKey = "last_deployed";

    private readonly IDatabaseSession session;
    private readonly string deployments;
    private readonly string steps;
    private readonly string version;
    private readonly string deployedModel;
    private int? knownVersion;

    public DeploymentStateStore(IDatabaseSession session, StateTableNames names)
    {
        this.session = session;
        Names = names;
        Validate(names, EngineProfile.For(session.Dialect).MaxIdentifierBytes);
        deployments = session.Writer.QuoteIdentifier(names.Deployments);
        steps = session.Writer.QuoteIdentifier(names.Steps);
        version = session.Writer.QuoteIdentifier(names.Version);
        deployedModel = session.Writer.QuoteIdentifier(names.DeployedModel);
    }

    /// <summary>Control-table names: non-empty, distinct, within the engine's identifier length (longer names are an error on MySQL and silently cut on PostgreSQL).</summary>
    public static void Validate(StateTableNames names, int maxIdentifierBytes)
    {
        foreach (var name in names.All)
        {
            var bytes = System.Text.Encoding.UTF8.GetByteCount(name);
            if (name.Trim().Length == 0 || bytes > maxIdentifierBytes)
            {
                throw new InvalidControlTablesException(
                    $"control table name '{name}' is {(bytes == 0 ? "empty" : bytes + " bytes")}; the server allows 1 to {maxIdentifierBytes} bytes. Choose another with --deployments-table / --steps-table");
            }
        }

        if (string.Equals(names.Deployments, names.Steps, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidControlTablesException($"the deployments and steps control tables are both named '{names.Steps}'; give them two different names");
        }
    }

    /// <summary>
    /// The control tables, when they exist, must be SchemaBuild's: a user table of the same name is
    /// never written to. Refused with what to do.
    /// </summary>
    public async Task CheckIsControlTableAsync(CancellationToken cancellationToken)
    {
        foreach (var (table, quoted, columns) in new[] { (Names.Deployments, deployments, DeploymentColumns), (Names.Steps, steps, StepColumns) })
        {
            if (!await session.TableExistsAsync(table, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            try
            {
                await session.QueryAsync($"SELECT {columns} FROM {quoted} WHERE 1 = 0", null, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && ex is not OutOfMemoryException)
            {
                throw new InvalidControlTablesException(
                    $"table '{table}' exists in {session.DatabaseName} but is not a SchemaBuild control table ({ex.Message}); SchemaBuild never writes to it. "
                    + "Choose other control-table names with --deployments-table / --steps-table");
            }
        }
    }

    /// <summary>
    /// Deployments still marked running while this process holds the deployment lock lost their
    /// process (killed, connection lost): they and their running steps are marked failed, so none
    /// stays "running"; the next deploy resumes them from the live schema.
    /// </summary>
    public async Task MarkInterruptedAsync(CancellationToken cancellationToken)
    {
        const string reason = "the process running this deployment stopped (killed, or its connection was lost) before recording the outcome; deploy again to resume";
        var now = Time(DateTimeOffset.UtcNow);
        await session.ExecuteAsync(
            $"UPDATE {steps} SET status = {P(0)}, error = COALESCE(error, {P(1)}) WHERE status = {P(2)}",
            new object?[] { StepStatus.Failed, reason, StepStatus.Running }, cancellationToken).ConfigureAwait(false);
        await session.ExecuteAsync(
            $"UPDATE {deployments} SET status = {P(0)}, error = COALESCE(error, {P(1)}), updated_at = {P(2)} WHERE status = {P(3)}",
            new object?[] { StepStatus.Failed, reason, now, StepStatus.Running }, cancellationToken).ConfigureAwait(false);
    }

    public StateTableNames Names { get; }

    /// <summary>The layout this SchemaBuild writes (see <see cref="ControlTableUpgrades"/>).</summary>
    public static int CurrentVersion => ControlTableUpgrades.Current;

    /// <summary>
    /// Creates the control tables, or upgrades tables an older SchemaBuild created, in place and in
    /// order, to <see cref="CurrentVersion"/>. Refuses tables written by a newer SchemaBuild.
    /// </summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        var found = await VersionAsync(cancellationToken).ConfigureAwait(false);
        if (found > ControlTableUpgrades.Current)
        {
            throw new ControlTableConflictException(
                $"the control tables {Names.Deployments}/{Names.Steps} have layout version {found}, written by a newer SchemaBuild; this one knows up to {ControlTableUpgrades.Current}. Upgrade SchemaBuild.");
        }

        if (found == 0)
        {
            foreach (var statement in ControlTableUpgrades.Version1(deployments, steps, session.LongTextType))
            {
                await session.ExecuteAsync(statement, null, cancellationToken).ConfigureAwait(false);
            }

            found = 1;
        }

        await session.ExecuteAsync($"CREATE TABLE IF NOT EXISTS {version} (name varchar(40) NOT NULL PRIMARY KEY, value integer NOT NULL)", null, cancellationToken).ConfigureAwait(false);
        if ((await session.QueryAsync($"SELECT value FROM {version} WHERE name = {P(0)}", new object?[] { VersionKey }, cancellationToken).ConfigureAwait(false)).Count == 0)
        {
            await session.ExecuteAsync($"INSERT INTO {version} (name, value) VALUES ({P(0)}, {P(1)})", new object?[] { VersionKey, found }, cancellationToken).ConfigureAwait(false);
        }

        for (var next = found + 1; next <= ControlTableUpgrades.Current; next++)
        {
            foreach (var create in ControlTableUpgrades.NewTables(next, session.Writer.QuoteIdentifier(Names.GhostCopies), deployedModel, session.LongTextType))
            {
                await session.ExecuteAsync(create, null, cancellationToken).ConfigureAwait(false);
            }

            // One ALTER per table and version (a fresh database went through ten single-column ALTERs, 0.6-0.9 s on MariaDB);
            // one statement adds all of them or none, so an interrupted upgrade still completes on the next run.
            foreach (var adds in ControlTableUpgrades.To(next).GroupBy(a => a.Table))
            {
                var table = adds.Key switch
                {
                    ControlTableUpgrades.Table.Deployments => deployments,
                    ControlTableUpgrades.Table.Steps => steps,
                    _ => session.Writer.QuoteIdentifier(Names.GhostCopies),
                };
                var missing = new List<string>();
                foreach (var add in adds)
                {
                    var column = session.Writer.QuoteIdentifier(add.Column);
                    if (!await ColumnExistsAsync(table, column, cancellationToken).ConfigureAwait(false))
                    {
                        missing.Add($"ADD COLUMN {column} {(add.Type == ControlTableUpgrades.LongText ? session.LongTextType : add.Type)} NULL");
                    }
                }

                if (missing.Count > 0)
                {
                    await session.ExecuteAsync($"ALTER TABLE {table} {string.Join(", ", missing)}", null, cancellationToken).ConfigureAwait(false);
                }
            }

            var moved = await session.ExecuteAsync(
                $"UPDATE {version} SET value = {P(0)} WHERE name = {P(1)} AND value = {P(2)}", new object?[] { next, VersionKey, next - 1 }, cancellationToken).ConfigureAwait(false);
            if (moved != 1)
            {
                throw new ControlTableConflictException($"the control tables' layout version changed while upgrading them to {next}; another process upgraded them. Run the command again.");
            }
        }

        knownVersion = ControlTableUpgrades.Current;
    }

    public Task<bool> ExistsAsync(CancellationToken cancellationToken) => session.TableExistsAsync(Names.Deployments, cancellationToken);

    /// <summary>The control tables' layout version: 0 when there are none, 1 for tables SchemaBuild 0.1 created (no version table).</summary>
    public async Task<int> VersionAsync(CancellationToken cancellationToken)
    {
        if (knownVersion is { } known)
        {
            return known;
        }

        if (await session.TableExistsAsync(Names.Version, cancellationToken).ConfigureAwait(false))
        {
            var rows = await session.QueryAsync($"SELECT value FROM {version} WHERE name = {P(0)}", new object?[] { VersionKey }, cancellationToken).ConfigureAwait(false);
            if (rows.Count > 0)
            {
                return (knownVersion = Convert.ToInt32(rows[0][0], CultureInfo.InvariantCulture)).Value;
            }
        }

        return await ExistsAsync(cancellationToken).ConfigureAwait(false) ? 1 : 0;
    }

    /// <summary>Records a new deployment and its steps, all or nothing.</summary>
    public Task StartAsync(DeploymentRecord deployment, Plan plan, CancellationToken cancellationToken) =>
        session.InTransactionAsync(
            async ct =>
            {
                await session.ExecuteAsync(
                    $"INSERT INTO {deployments} (deployment_id, plan_fingerprint, source_fingerprint, target_fingerprint, dialect, status, step_count, started_by, started_host, started_at, updated_at, source_model, schemabuild_version) "
                    + $"VALUES ({P(0)}, {P(1)}, {P(2)}, {P(3)}, {P(4)}, {P(5)}, {P(6)}, {P(7)}, {P(8)}, {P(9)}, {P(10)}, {P(11)}, {P(12)})",
                    new object?[]
                    {
                        deployment.DeploymentId, deployment.PlanFingerprint, deployment.SourceFingerprint, deployment.TargetFingerprint, deployment.Dialect,
                        deployment.Status, deployment.StepCount, Bound(deployment.StartedBy, 200), Bound(deployment.Host, 200), Time(deployment.StartedAt), Time(deployment.StartedAt),
                        deployment.SourceModel, Bound(ProductVersion, 40),
                    },
                    ct).ConfigureAwait(false);
                await session.ExecuteBatchAsync(
                    $"INSERT INTO {steps} (deployment_id, step_id, object_name, change_kind, strategy, status, attempts, statements_done) "
                    + $"VALUES ({P(0)}, {P(1)}, {P(2)}, {P(3)}, {P(4)}, {P(5)}, 0, 0)",
                    plan.Steps.Select(step => (IReadOnlyList<object?>)new object?[] { deployment.DeploymentId, step.Id, Bound(step.ObjectName, 400), Bound(step.Change, 100), StrategyNames.Of(step.Strategy), StepStatus.Pending }).ToList(),
                    ct).ConfigureAwait(false);
            },
            cancellationToken);

    /// <summary>Moves a deployment to <paramref name="status"/> from one of the statuses allowed before it (compare-and-set).</summary>
    public async Task SetDeploymentStatusAsync(string deploymentId, string status, string? error, bool finished, CancellationToken cancellationToken)
    {
        var from = StatusTransitions.DeploymentFrom(status);
        var now = Time(DateTimeOffset.UtcNow);
        var values = new List<object?> { status, error, now, finished ? now : null, deploymentId };
        values.AddRange(from);
        var moved = await session.ExecuteAsync(
            $"UPDATE {deployments} SET status = {P(0)}, error = {P(1)}, updated_at = {P(2)}, finished_at = {P(3)} WHERE deployment_id = {P(4)} AND status IN ({Placeholders(5, from.Count)})",
            values, cancellationToken).ConfigureAwait(false);
        if (moved != 1)
        {
            await ConflictAsync($"deployment {deploymentId}", $"SELECT status FROM {deployments} WHERE deployment_id = {P(0)}", new object?[] { deploymentId }, status, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StepStartedAsync(string deploymentId, int stepId, CancellationToken cancellationToken) =>
        MoveStepAsync(deploymentId, stepId, StepStatus.Running, new (string, object?)[] { ("started_at = COALESCE(started_at, {p})", Time(DateTimeOffset.UtcNow)), ("error = NULL", null) }, cancellationToken);

    public Task StepAttemptAsync(string deploymentId, int stepId, int attempts, string? error, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            $"UPDATE {steps} SET attempts = {P(0)}, error = {P(1)} WHERE deployment_id = {P(2)} AND step_id = {P(3)}",
            new object?[] { attempts, error, deploymentId, stepId }, cancellationToken);

    public Task StatementDoneAsync(string deploymentId, int stepId, int statementsDone, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            $"UPDATE {steps} SET statements_done = {P(0)} WHERE deployment_id = {P(1)} AND step_id = {P(2)}",
            new object?[] { statementsDone, deploymentId, stepId }, cancellationToken);

    /// <summary>Records how far a long-running step got (JSON), for status output and for resuming it.</summary>
    public Task StepProgressAsync(string deploymentId, int stepId, string progress, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            $"UPDATE {steps} SET progress = {P(0)} WHERE deployment_id = {P(1)} AND step_id = {P(2)}",
            new object?[] { progress, deploymentId, stepId }, cancellationToken);

    public Task StepFinishedAsync(string deploymentId, int stepId, string status, TimeSpan? duration, string? error, CancellationToken cancellationToken) =>
        MoveStepAsync(
            deploymentId, stepId, status,
            new (string, object?)[] { ("finished_at = {p}", Time(DateTimeOffset.UtcNow)), ("duration_ms = {p}", duration is null ? null : (long)duration.Value.TotalMilliseconds), ("error = {p}", error) },
            cancellationToken);

    /// <summary>Marks a deployment and its unfinished steps abandoned: it is never resumed, and the next deploy starts from the live schema.</summary>
    public async Task AbandonAsync(string deploymentId, string reason, CancellationToken cancellationToken)
    {
        await session.ExecuteAsync(
            $"UPDATE {steps} SET status = {P(0)}, error = COALESCE(error, {P(1)}) WHERE deployment_id = {P(2)} AND status NOT IN ({P(3)}, {P(4)})",
            new object?[] { StepStatus.Abandoned, reason, deploymentId, StepStatus.Succeeded, StepStatus.AlreadyApplied }, cancellationToken).ConfigureAwait(false);
        await SetDeploymentStatusAsync(deploymentId, StepStatus.Abandoned, reason, finished: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The latest deployment of this plan that did not finish (running when its process died, failed or cancelled).</summary>
    public async Task<DeploymentRecord?> FindUnfinishedAsync(string planFingerprint, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(
            $"SELECT deployment_id FROM {deployments} WHERE plan_fingerprint = {P(0)} AND status IN ({P(1)}, {P(2)}, {P(3)}) ORDER BY started_at DESC",
            new object?[] { planFingerprint, StepStatus.Running, StepStatus.Failed, StepStatus.Cancelled }, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : await GetAsync((string)rows[0][0]!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The most recent deployments, newest first, with their steps.</summary>
    public async Task<IReadOnlyList<DeploymentRecord>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync($"SELECT deployment_id FROM {deployments} ORDER BY started_at DESC", null, cancellationToken).ConfigureAwait(false);
        var result = new List<DeploymentRecord>();
        foreach (var row in rows.Take(limit))
        {
            result.Add((await GetAsync((string)row[0]!, cancellationToken).ConfigureAwait(false))!);
        }

        return result;
    }

    public async Task<DeploymentRecord?> GetAsync(string deploymentId, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(
            $"SELECT {DeploymentColumns} FROM {deployments} WHERE deployment_id = {P(0)}",
            new object?[] { deploymentId }, cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return null;
        }

        var r = rows[0];
        var progress = await VersionAsync(cancellationToken).ConfigureAwait(false) >= 2 ? "progress" : "NULL";
        var stepRows = await session.QueryAsync(
            $"SELECT {StepColumns}, {progress} FROM {steps} WHERE deployment_id = {P(0)} ORDER BY step_id",
            new object?[] { deploymentId }, cancellationToken).ConfigureAwait(false);
        // Rows edited by hand may hold anything: each value that does not read back is reported and read as empty.
        var problems = new List<string>();
        var record = new DeploymentRecord(S(r[0]) ?? string.Empty, S(r[1]) ?? string.Empty, S(r[2]) ?? string.Empty, S(r[3]) ?? string.Empty, S(r[4]) ?? string.Empty)
        {
            Dialect = S(r[5]) ?? string.Empty,
            StepCount = Int(r[6], "step_count", deploymentId, problems),
            StartedBy = S(r[7]) ?? string.Empty,
            Host = S(r[8]) ?? string.Empty,
            StartedAt = ParseTime(S(r[9]), "started_at", deploymentId, problems) ?? DateTimeOffset.MinValue,
            UpdatedAt = ParseTime(S(r[10]), "updated_at", deploymentId, problems),
            FinishedAt = ParseTime(S(r[11]), "finished_at", deploymentId, problems),
            Error = S(r[12]),
            SourceModel = S(r[13]),
        };
        var stepRecords = stepRows.Select(s =>
        {
            var where = $"{deploymentId} step {S(s[0])}";
            return new StepRecord(Int(s[0], "step_id", deploymentId, problems), S(s[1]) ?? string.Empty, S(s[2]) ?? string.Empty, S(s[3]) ?? string.Empty, S(s[4]) ?? string.Empty)
            {
                Attempts = Int(s[5], "attempts", where, problems),
                StatementsDone = Int(s[6], "statements_done", where, problems),
                StartedAt = ParseTime(S(s[7]), "started_at", where, problems),
                FinishedAt = ParseTime(S(s[8]), "finished_at", where, problems),
                DurationMs = s[9] is null ? null : Int(s[9], "duration_ms", where, problems),
                Error = S(s[10]),
                Progress = S(s[11]),
            };
        }).ToList();
        if (!StepStatus.IsKnown(record.Status))
        {
            problems.Add($"{Names.Deployments}.status of {deploymentId} is '{record.Status}', not a status SchemaBuild writes");
        }

        return record with { Steps = stepRecords, Problems = problems };
    }

    /// <summary>
    /// Records the model a deployment reached (or found already in place) with its annotations and
    /// source locations, replacing the previous one: a later plan against the live database uses it
    /// as the baseline while the live schema is still this model (see <see cref="DeployedModelAsync"/>).
    /// </summary>
    public Task RecordDeployedModelAsync(Schema model, string? deploymentId, CancellationToken cancellationToken) =>
        session.InTransactionAsync(
            async ct =>
            {
                await session.ExecuteAsync($"DELETE FROM {deployedModel} WHERE name = {P(0)}", new object?[] { DeployedModelKey }, ct).ConfigureAwait(false);
                await session.ExecuteAsync(
                    $"INSERT INTO {deployedModel} (name, deployment_id, fingerprint, model, recorded_at) VALUES ({P(0)}, {P(1)}, {P(2)}, {P(3)}, {P(4)})",
                    new object?[] { DeployedModelKey, deploymentId, LiveFingerprint.Of(model), BaselineSnapshot.Write(model), Time(DateTimeOffset.UtcNow) },
                    ct).ConfigureAwait(false);
            },
            cancellationToken);

    /// <summary>
    /// The model the last deployment recorded, when <paramref name="live"/> is still that schema: the
    /// same objects, now with what the schema files said about them (deprecated, renamed-from, file and
    /// line). Null when none was recorded (no deployment yet, control tables older than version 6) or
    /// the live schema has changed since (then only the live schema is known).
    /// </summary>
    public async Task<Schema?> DeployedModelAsync(Schema live, CancellationToken cancellationToken)
    {
        if (await VersionAsync(cancellationToken).ConfigureAwait(false) < ControlTableUpgrades.DeployedModel)
        {
            return null;
        }

        var rows = await session.QueryAsync($"SELECT fingerprint, model FROM {deployedModel} WHERE name = {P(0)}", new object?[] { DeployedModelKey }, cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0 || S(rows[0][0]) != LiveFingerprint.Of(live) || S(rows[0][1]) is not { } text)
        {
            return null;
        }

        try
        {
            return BaselineSnapshot.Read(text);
        }
        catch (FormatException ex)
        {
            throw new InvalidControlTablesException(
                $"{Names.DeployedModel} holds a model that does not read back ({ex.Message}); it was edited by hand or written by another tool. Delete its row and deploy again to record it anew");
        }
    }

    /// <summary>
    /// Records a failure when the connection itself may be what failed (killed session, network):
    /// an error while recording is logged, never thrown over the failure being recorded. The next
    /// deploy recognises from the live schema what ran.
    /// </summary>
    /// <param name="reconnect">Opens a fresh session when this one is gone, so the failure and its cause are still recorded.</param>
    public async Task RecordFailureAsync(Func<DeploymentStateStore, Task> record, ILogger logger, Func<CancellationToken, Task<IDatabaseSession>>? reconnect = null)
    {
        try
        {
            await session.InTransactionAsync(_ => record(this), CancellationToken.None).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            if (reconnect is null)
            {
                logger.LogWarning(ex, "could not record the failure in the control tables");
                return;
            }

            logger.LogInformation(ex, "the deployment's connection is gone; recording the failure through a new one");
        }

        try
        {
            await using var fresh = await reconnect(CancellationToken.None).ConfigureAwait(false);
            await fresh.InTransactionAsync(_ => record(new DeploymentStateStore(fresh, Names)), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "could not record the failure in the control tables");
        }
    }

    private const string DeploymentColumns =
        "deployment_id, plan_fingerprint, source_fingerprint, target_fingerprint, status, dialect, step_count, started_by, started_host, started_at, updated_at, finished_at, error, source_model";

    private const string StepColumns =
        "step_id, object_name, change_kind, strategy, status, attempts, statements_done, started_at, finished_at, duration_ms, error";

    private string P(int index) => session.Parameter(index);

    private string Placeholders(int first, int count) => string.Join(", ", Enumerable.Range(first, count).Select(P));

    private static string ProductVersion =>
        typeof(DeploymentStateStore).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Moves a step to <paramref name="status"/> from an allowed status (compare-and-set); <paramref name="set"/> are more assignments, <c>{p}</c> standing for their value.</summary>
    private async Task MoveStepAsync(string deploymentId, int stepId, string status, IReadOnlyList<(string Assignment, object? Value)> set, CancellationToken cancellationToken)
    {
        var from = StatusTransitions.StepFrom(status);
        var values = new List<object?> { status };
        var assignments = new List<string> { $"status = {P(0)}" };
        foreach (var (assignment, value) in set)
        {
            if (assignment.Contains("{p}", StringComparison.Ordinal))
            {
                assignments.Add(assignment.Replace("{p}", P(values.Count), StringComparison.Ordinal));
                values.Add(value);
            }
            else
            {
                assignments.Add(assignment);
            }
        }

        var where = $"deployment_id = {P(values.Count)} AND step_id = {P(values.Count + 1)} AND status IN ({Placeholders(values.Count + 2, from.Count)})";
        values.Add(deploymentId);
        values.Add(stepId);
        values.AddRange(from);
        var moved = await session.ExecuteAsync($"UPDATE {steps} SET {string.Join(", ", assignments)} WHERE {where}", values, cancellationToken).ConfigureAwait(false);
        if (moved != 1)
        {
            await ConflictAsync($"step {stepId} of deployment {deploymentId}", $"SELECT status FROM {steps} WHERE deployment_id = {P(0)} AND step_id = {P(1)}", new object?[] { deploymentId, stepId }, status, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Whether a column exists, asked the same way on every engine: a query that names it and returns no row.</summary>
    private async Task<bool> ColumnExistsAsync(string table, string column, CancellationToken cancellationToken)
    {
        try
        {
            await session.QueryAsync($"SELECT {column} FROM {table} WHERE 1 = 0", null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (System.Data.Common.DbException)
        {
            return false;
        }
    }

    private async Task ConflictAsync(string row, string query, object?[] key, string wanted, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(query, key, cancellationToken).ConfigureAwait(false);
        var current = rows.Count == 0 ? null : S(rows[0][0]);
        throw new ControlTableConflictException(current is null
            ? $"{row} is missing from the control tables (deleted by hand?); cannot mark it {wanted}"
            : $"{row} is '{current}' in the control tables and cannot become '{wanted}' (another process moved it, or it was edited by hand); run `dotnet schema status` to see it");
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static DateTimeOffset? ParseTime(string? text, string column, string where, List<string> problems)
    {
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        problems.Add($"{column} of {where} is '{text}', not a time (expected like 2024-01-31T12:00:00.000Z)");
        return null;
    }

    private static string? S(object? value) => value switch
    {
        null => null,
        byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private static int Int(object? value, string column, string where, List<string> problems)
    {
        if (value is null)
        {
            return 0;
        }

        if (int.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        problems.Add($"{column} of {where} is '{value}', not a whole number");
        return 0;
    }

    private static string Bound(string text, int length) => text.Length <= length ? text : text.Substring(0, length);
}
