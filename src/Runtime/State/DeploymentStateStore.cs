using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SchemaBuild.Core.Planning;
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

    private readonly IDatabaseSession session;
    private readonly string deployments;
    private readonly string steps;
    private readonly string version;
    private int? knownVersion;

    public DeploymentStateStore(IDatabaseSession session, StateTableNames names)
    {
        this.session = session;
        Names = names;
        deployments = session.Writer.QuoteIdentifier(names.Deployments);
        steps = session.Writer.QuoteIdentifier(names.Steps);
        version = session.Writer.QuoteIdentifier(names.Version);
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
            foreach (var add in ControlTableUpgrades.To(next))
            {
                var table = add.Table == ControlTableUpgrades.Table.Deployments ? deployments : steps;
                var column = session.Writer.QuoteIdentifier(add.Column);
                if (!await ColumnExistsAsync(table, column, cancellationToken).ConfigureAwait(false))
                {
                    var type = add.Type == ControlTableUpgrades.LongText ? session.LongTextType : add.Type;
                    await session.ExecuteAsync($"ALTER TABLE {table} ADD COLUMN {column} {type} NULL", null, cancellationToken).ConfigureAwait(false);
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
                return (knownVersion = Int(rows[0][0])).Value;
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
            $"SELECT deployment_id, plan_fingerprint, source_fingerprint, target_fingerprint, status, dialect, step_count, started_by, started_host, started_at, updated_at, finished_at, error, source_model "
            + $"FROM {deployments} WHERE deployment_id = {P(0)}",
            new object?[] { deploymentId }, cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return null;
        }

        var r = rows[0];
        var progress = await VersionAsync(cancellationToken).ConfigureAwait(false) >= 2 ? "progress" : "NULL";
        var stepRows = await session.QueryAsync(
            $"SELECT step_id, object_name, change_kind, strategy, status, attempts, statements_done, started_at, finished_at, duration_ms, error, {progress} FROM {steps} WHERE deployment_id = {P(0)} ORDER BY step_id",
            new object?[] { deploymentId }, cancellationToken).ConfigureAwait(false);
        return new DeploymentRecord(S(r[0])!, S(r[1])!, S(r[2])!, S(r[3])!, S(r[4])!)
        {
            Dialect = S(r[5])!,
            StepCount = Int(r[6]),
            StartedBy = S(r[7])!,
            Host = S(r[8])!,
            StartedAt = ParseTime(S(r[9])) ?? DateTimeOffset.MinValue,
            UpdatedAt = ParseTime(S(r[10])),
            FinishedAt = ParseTime(S(r[11])),
            Error = S(r[12]),
            SourceModel = S(r[13]),
            Steps = stepRows.Select(s => new StepRecord(Int(s[0]), S(s[1])!, S(s[2])!, S(s[3])!, S(s[4])!)
            {
                Attempts = Int(s[5]),
                StatementsDone = Int(s[6]),
                StartedAt = ParseTime(S(s[7])),
                FinishedAt = ParseTime(S(s[8])),
                DurationMs = s[9] is null ? null : Convert.ToInt64(s[9], CultureInfo.InvariantCulture),
                Error = S(s[10]),
                Progress = S(s[11]),
            }).ToList(),
        };
    }

    /// <summary>
    /// Records a failure when the connection itself may be what failed (killed session, network):
    /// an error while recording is logged, never thrown over the failure being recorded. The next
    /// deploy recognises from the live schema what ran.
    /// </summary>
    public async Task RecordFailureAsync(Func<DeploymentStateStore, Task> record, ILogger logger)
    {
        try
        {
            await session.InTransactionAsync(_ => record(this), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "could not record the failure in the control tables");
        }
    }

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

    private static DateTimeOffset? ParseTime(string? text) =>
        text is null ? null : DateTimeOffset.ParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static string? S(object? value) => value switch
    {
        null => null,
        byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private static int Int(object? value) => value is null ? 0 : Convert.ToInt32(value, CultureInfo.InvariantCulture);

    private static string Bound(string text, int length) => text.Length <= length ? text : text.Substring(0, length);
}
