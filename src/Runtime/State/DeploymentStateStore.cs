using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
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

    private readonly IDatabaseSession session;
    private readonly string deployments;
    private readonly string steps;

    public DeploymentStateStore(IDatabaseSession session, StateTableNames names)
    {
        this.session = session;
        Names = names;
        deployments = session.Writer.QuoteIdentifier(names.Deployments);
        steps = session.Writer.QuoteIdentifier(names.Steps);
    }

    public StateTableNames Names { get; }

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        var text = session.LongTextType;
        await session.ExecuteAsync(
            $"CREATE TABLE IF NOT EXISTS {deployments} (deployment_id varchar(64) NOT NULL PRIMARY KEY, plan_fingerprint varchar(100) NOT NULL, "
            + "source_fingerprint varchar(100) NOT NULL, target_fingerprint varchar(100) NOT NULL, dialect varchar(20) NOT NULL, status varchar(20) NOT NULL, "
            + $"step_count integer NOT NULL, started_by varchar(200) NOT NULL, started_host varchar(200) NOT NULL, started_at varchar(30) NOT NULL, "
            + $"updated_at varchar(30) NULL, finished_at varchar(30) NULL, error {text} NULL, source_model {text} NULL)",
            null, cancellationToken).ConfigureAwait(false);
        await session.ExecuteAsync(
            $"CREATE TABLE IF NOT EXISTS {steps} (deployment_id varchar(64) NOT NULL, step_id integer NOT NULL, object_name varchar(400) NOT NULL, "
            + "change_kind varchar(100) NOT NULL, strategy varchar(40) NOT NULL, status varchar(20) NOT NULL, attempts integer NOT NULL, statements_done integer NOT NULL, "
            + $"started_at varchar(30) NULL, finished_at varchar(30) NULL, duration_ms bigint NULL, error {text} NULL, PRIMARY KEY (deployment_id, step_id))",
            null, cancellationToken).ConfigureAwait(false);
    }

    public Task<bool> ExistsAsync(CancellationToken cancellationToken) => session.TableExistsAsync(Names.Deployments, cancellationToken);

    public async Task StartAsync(DeploymentRecord deployment, Plan plan, CancellationToken cancellationToken)
    {
        await session.ExecuteAsync(
            $"INSERT INTO {deployments} (deployment_id, plan_fingerprint, source_fingerprint, target_fingerprint, dialect, status, step_count, started_by, started_host, started_at, updated_at, source_model) "
            + $"VALUES ({P(0)}, {P(1)}, {P(2)}, {P(3)}, {P(4)}, {P(5)}, {P(6)}, {P(7)}, {P(8)}, {P(9)}, {P(10)}, {P(11)})",
            new object?[]
            {
                deployment.DeploymentId, deployment.PlanFingerprint, deployment.SourceFingerprint, deployment.TargetFingerprint, deployment.Dialect,
                deployment.Status, deployment.StepCount, Bound(deployment.StartedBy, 200), Bound(deployment.Host, 200), Time(deployment.StartedAt), Time(deployment.StartedAt), deployment.SourceModel,
            },
            cancellationToken).ConfigureAwait(false);
        await session.ExecuteBatchAsync(
            $"INSERT INTO {steps} (deployment_id, step_id, object_name, change_kind, strategy, status, attempts, statements_done) "
            + $"VALUES ({P(0)}, {P(1)}, {P(2)}, {P(3)}, {P(4)}, {P(5)}, 0, 0)",
            plan.Steps.Select(step => (IReadOnlyList<object?>)new object?[] { deployment.DeploymentId, step.Id, Bound(step.ObjectName, 400), Bound(step.Change, 100), StrategyNames.Of(step.Strategy), StepStatus.Pending }).ToList(),
            cancellationToken).ConfigureAwait(false);
    }

    public Task SetDeploymentStatusAsync(string deploymentId, string status, string? error, bool finished, CancellationToken cancellationToken)
    {
        var now = Time(DateTimeOffset.UtcNow);
        return session.ExecuteAsync(
            $"UPDATE {deployments} SET status = {P(0)}, error = {P(1)}, updated_at = {P(2)}, finished_at = {P(3)} WHERE deployment_id = {P(4)}",
            new object?[] { status, error, now, finished ? now : null, deploymentId }, cancellationToken);
    }

    public Task StepStartedAsync(string deploymentId, int stepId, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            $"UPDATE {steps} SET status = {P(0)}, started_at = COALESCE(started_at, {P(1)}), error = NULL WHERE deployment_id = {P(2)} AND step_id = {P(3)}",
            new object?[] { StepStatus.Running, Time(DateTimeOffset.UtcNow), deploymentId, stepId }, cancellationToken);

    public Task StepAttemptAsync(string deploymentId, int stepId, int attempts, string? error, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            $"UPDATE {steps} SET attempts = {P(0)}, error = {P(1)} WHERE deployment_id = {P(2)} AND step_id = {P(3)}",
            new object?[] { attempts, error, deploymentId, stepId }, cancellationToken);

    public Task StatementDoneAsync(string deploymentId, int stepId, int statementsDone, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            $"UPDATE {steps} SET statements_done = {P(0)} WHERE deployment_id = {P(1)} AND step_id = {P(2)}",
            new object?[] { statementsDone, deploymentId, stepId }, cancellationToken);

    public Task StepFinishedAsync(string deploymentId, int stepId, string status, TimeSpan? duration, string? error, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            $"UPDATE {steps} SET status = {P(0)}, finished_at = {P(1)}, duration_ms = {P(2)}, error = {P(3)} WHERE deployment_id = {P(4)} AND step_id = {P(5)}",
            new object?[] { status, Time(DateTimeOffset.UtcNow), duration is null ? null : (long)duration.Value.TotalMilliseconds, error, deploymentId, stepId },
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
        var stepRows = await session.QueryAsync(
            $"SELECT step_id, object_name, change_kind, strategy, status, attempts, statements_done, started_at, finished_at, duration_ms, error FROM {steps} WHERE deployment_id = {P(0)} ORDER BY step_id",
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
            await record(this).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "could not record the failure in the control tables");
        }
    }

    private string P(int index) => session.Parameter(index);

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
