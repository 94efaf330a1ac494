using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SchemaBuild.Core.Diff;
using SchemaBuild.Core.Planning;
using SchemaBuild.Runtime.Sessions;
using SchemaBuild.Runtime.State;

namespace SchemaBuild.Runtime.Deployment;

/// <summary>
/// Runs one step of the direct strategies (instant, inplace, concurrent, not-valid-validate,
/// direct): pre-flight wait for long transactions, repair of what an interrupted attempt left
/// behind, then each statement under the session's short lock wait, retried with exponential
/// backoff and jitter when it gives up waiting for its lock, recording progress statement by
/// statement so a killed process resumes where it stopped.
/// </summary>
internal sealed class StepExecutor
{
    private readonly IDatabaseSession session;
    private readonly DeploymentStateStore store;
    private readonly DeployOptions options;
    private readonly ILogger logger;
    private readonly Random random;

    // Tables whose long transactions were already waited for in this deployment ("" when the step names none).
    private readonly HashSet<string> checkedTables = new(StringComparer.Ordinal);

    public StepExecutor(IDatabaseSession session, DeploymentStateStore store, DeployOptions options, ILogger logger)
    {
        this.session = session;
        this.store = store;
        this.options = options;
        this.logger = logger;
        random = options.JitterSeed is { } seed ? new Random(seed) : new Random();
    }

    /// <summary>Runs the step from statement <paramref name="firstStatement"/> (0-based); throws <see cref="StepFailedException"/> on failure.</summary>
    /// <param name="resumed">The step was started by an earlier run that stopped before recording its end: its first statement here may already have been applied.</param>
    public async Task RunAsync(string deploymentId, PlanStep step, int firstStatement, CancellationToken cancellationToken, bool resumed = false)
    {
        if (step.Strategy == Strategy.GhostCopy)
        {
            throw new StepFailedException(deploymentId, step.Id, GhostCopyRefusal.Message(step), null);
        }

        await WaitForLongTransactionsAsync(step, cancellationToken).ConfigureAwait(false);
        if (firstStatement == 0)
        {
            await RunPrechecksAsync(deploymentId, step, cancellationToken).ConfigureAwait(false);
        }

        var policy = options.LockWait;
        var attempts = 0;
        var statements = step.Sql.ToList();
        await RestoreSessionSettingsAsync(step, statements, firstStatement, cancellationToken).ConfigureAwait(false);

        // A transactional multi-statement step (PostgreSQL) runs as one unit: all or nothing.
        var asUnit = step.Transactional && statements.Count - firstStatement > 1;
        var index = firstStatement;
        while (index < statements.Count)
        {
            var unit = asUnit ? statements.Skip(index).ToList() : statements.GetRange(index, 1);
            for (var attempt = 1; ; attempt++)
            {
                attempts++;
                if (options.BeforeStatement is { } hook)
                {
                    await hook(step, index, cancellationToken).ConfigureAwait(false);
                }

                foreach (var repair in await session.RepairBeforeStepAsync(step, cancellationToken).ConfigureAwait(false))
                {
                    logger.LogWarning("step {StepId} {Object}: {Repair}", step.Id, step.ObjectName, repair);
                    options.Progress?.Note($"step {step.Id}: {repair}");
                }

                try
                {
                    if (asUnit)
                    {
                        await session.RunInTransactionAsync(unit, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await session.ExecuteAsync(unit[0], null, cancellationToken).ConfigureAwait(false);
                    }
                    break;
                }
                catch (Exception ex) when (session.IsLockWaitTimeout(ex))
                {
                    var reason = $"gave up waiting {policy.LockWait.TotalSeconds:0.###}s for a lock on {step.Table?.ToString() ?? step.ObjectName} (attempt {attempt} of {policy.MaxAttempts}): {ex.Message}";
                    await store.StepAttemptAsync(deploymentId, step.Id, attempts, reason, CancellationToken.None).ConfigureAwait(false);
                    if (attempt >= policy.MaxAttempts)
                    {
                        throw new StepFailedException(deploymentId, step.Id,
                            $"step {step.Id} ({step.Change} {step.ObjectName}) could not get its lock in {policy.MaxAttempts} attempts of {policy.LockWait.TotalSeconds:0.###}s each: "
                            + "long transactions or heavy traffic hold the table. Find them in information_schema.innodb_trx / pg_stat_activity, then run deploy again (it resumes at this step), "
                            + "or raise --lock-wait / --retries.", ex);
                    }

                    var backoff = policy.Backoff(attempt + 1, random);
                    logger.LogWarning("step {StepId} {Object}: {Reason}; retrying in {Backoff} ms", step.Id, step.ObjectName, reason, (long)backoff.TotalMilliseconds);
                    options.Progress?.StepRetrying(step, attempt + 1, backoff, reason);
                    await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (resumed && !asUnit && index == firstStatement && session.IsAlreadyApplied(ex))
                {
                    // The earlier run applied this statement (it committed) but died before recording it: the server's catalog says so.
                    logger.LogWarning("step {StepId} {Object}: statement {Index} was already applied before the earlier run stopped ({Message}); continuing", step.Id, step.ObjectName, index + 1, ex.Message);
                    options.Progress?.Note($"step {step.Id}: statement {index + 1} was already applied before the earlier run stopped; continuing");
                    break;
                }
                catch (Exception ex) when (ex is not OperationCanceledException && ex is not StepFailedException)
                {
                    await store.RecordFailureAsync(s => s.StepAttemptAsync(deploymentId, step.Id, attempts, ex.Message, CancellationToken.None), logger).ConfigureAwait(false);
                    throw new StepFailedException(deploymentId, step.Id,
                        $"step {step.Id} ({step.Change} {step.ObjectName}, {StrategyNames.Of(step.Strategy)}) failed at statement {index + 1} of {statements.Count}: {ex.Message}\n  statement: {unit[0]}\n"
                        + "Fix the cause, then run deploy again: it resumes at this step.", ex);
                }
            }

            index += unit.Count;
            await store.StepAttemptAsync(deploymentId, step.Id, attempts, null, CancellationToken.None).ConfigureAwait(false);
            await store.StatementDoneAsync(deploymentId, step.Id, index, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A step resumed after its first statements ran in an earlier session (e.g. <c>SET SESSION
    /// foreign_key_checks = 0</c> before an ALTER) needs their session state again: the statements
    /// before <paramref name="firstStatement"/> that only set session variables are replayed.
    /// </summary>
    private async Task RestoreSessionSettingsAsync(PlanStep step, IReadOnlyList<string> statements, int firstStatement, CancellationToken cancellationToken)
    {
        foreach (var setting in statements.Take(firstStatement).Where(IsSessionSetting))
        {
            logger.LogInformation("step {StepId}: restoring the session setting of the earlier run: {Setting}", step.Id, setting);
            await session.ExecuteAsync(setting, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary><c>SET [SESSION] name = value</c>: changes only the session (both engines), nothing in the schema or data.</summary>
    private static bool IsSessionSetting(string statement) =>
        Regex.IsMatch(statement, @"^\s*SET\s+(SESSION\s+)?[A-Za-z_]\w*\s*(=|TO\s)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>The step's counts that must be zero (e.g. orphan rows before a MySQL foreign key); refuses the step with the count otherwise.</summary>
    private async Task RunPrechecksAsync(string deploymentId, PlanStep step, CancellationToken cancellationToken)
    {
        foreach (var check in step.Prechecks)
        {
            var rows = await session.QueryAsync(check.CountSql, null, cancellationToken).ConfigureAwait(false);
            var count = rows.Count > 0 && rows[0].Length > 0 ? Convert.ToInt64(rows[0][0], System.Globalization.CultureInfo.InvariantCulture) : 0;
            if (count > 0)
            {
                throw new StepFailedException(deploymentId, step.Id,
                    $"step {step.Id} ({step.Change} {step.ObjectName}) refused: " + check.Refusal.Replace("{count}", count.ToString(System.Globalization.CultureInfo.InvariantCulture)), null);
            }
        }
    }

    /// <summary>
    /// Pre-flight: long transactions that may hold locks on the step's table are reported and waited
    /// on, up to a bound. Once per table and deployment, and never for a step that only creates new
    /// objects (nothing can hold a lock on them yet).
    /// </summary>
    private async Task WaitForLongTransactionsAsync(PlanStep step, CancellationToken cancellationToken)
    {
        if (step.Changes.Count > 0 && step.Changes.All(c => c is CreateTable or CreateView or CreateNamespace or CreateEnumType or CreateSequence or CreateExtension))
        {
            return;
        }

        var table = step.Table ?? step.Changes.Select(c => c.TableName).FirstOrDefault(n => n is not null);
        if (!checkedTables.Add(table?.ToString() ?? string.Empty))
        {
            return;
        }

        var watch = Stopwatch.StartNew();
        var reported = false;
        while (true)
        {
            var open = await session.FindLongTransactionsAsync(table, options.LongTransactionThreshold, cancellationToken).ConfigureAwait(false);
            if (open.Count == 0)
            {
                if (reported)
                {
                    options.Progress?.Note($"step {step.Id}: long transactions finished after {watch.Elapsed.TotalSeconds:0}s");
                }

                return;
            }

            if (!reported)
            {
                var list = string.Join("; ", open);
                logger.LogWarning("step {StepId} {Object}: waiting up to {Wait}s for long transactions: {Transactions}", step.Id, step.ObjectName, options.LongTransactionWait.TotalSeconds, list);
                options.Progress?.Note($"step {step.Id}: waiting up to {options.LongTransactionWait.TotalSeconds:0}s for {open.Count} long transaction(s): {list}");
                reported = true;
            }

            if (watch.Elapsed >= options.LongTransactionWait)
            {
                logger.LogWarning("step {StepId} {Object}: long transactions still open after {Wait}s; running under the lock wait anyway", step.Id, step.ObjectName, options.LongTransactionWait.TotalSeconds);
                options.Progress?.Note($"step {step.Id}: {open.Count} long transaction(s) still open; running under the {options.LockWait.LockWait.TotalSeconds:0.###}s lock wait anyway");
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, Math.Max(50, options.LongTransactionWait.TotalMilliseconds / 10))), cancellationToken).ConfigureAwait(false);
        }
    }
}
