using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Serialization.Json;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Core.Serialization;
using SchemaBuild.Runtime.Sessions;
using SchemaBuild.Runtime.State;

namespace SchemaBuild.Runtime.Deployment;

/// <summary>
/// Applies a plan to a live database: takes the deployment lock, introspects the live schema and
/// recognises it (plan target: nothing to do; plan source: run; an unfinished deployment of the
/// same plan: resume; anything else: drift), records every step in the control tables and runs
/// the steps: direct strategies with <see cref="StepExecutor"/>, ghost copies online with
/// <see cref="GhostCopyStepRunner"/> (those that cannot run online are refused before anything runs).
/// </summary>
public sealed class Deployer
{
    private readonly ILogger logger;

    public Deployer(ILogger<Deployer>? logger = null) => this.logger = (ILogger?)logger ?? NullLogger.Instance;

    public async Task<DeploymentResult> DeployAsync(Plan plan, IDatabaseSession connection, DeployOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= DeployOptions.Default;
        if (plan.Engine.Dialect != connection.Dialect)
        {
            throw new DeploymentRefusedException(
                $"the plan is for {DialectNames.Of(plan.Engine.Dialect)} but {connection.DisplayName} is {DialectNames.Of(connection.Dialect)} ({connection.ServerVersion}); compile the plan with --dialect {DialectNames.Of(connection.Dialect)}");
        }

        if (plan.HasErrors)
        {
            throw new DeploymentRefusedException("the plan has errors (unacknowledged diagnostics at error severity); fix them or acknowledge them with schema:allow, then compile the plan again", unsafePlan: true);
        }

        // Only SQL derived from the plan's own models runs: an edited plan is refused here, before anything connects further.
        plan = PlanVerifier.Verify(plan);
        var store = new DeploymentStateStore(connection, options.StateTables);
        var settings = Settings(options);
        if (!options.DryRun && !await connection.TryAcquireDeploymentLockAsync(options.LockName, cancellationToken).ConfigureAwait(false))
        {
            throw new DeploymentRefusedException(
                $"another deployment is running on {connection.DisplayName} (it holds the advisory lock '{options.LockName}'); wait for it to finish or see 'dotnet schema status'. Nothing was changed.");
        }

        try
        {
            return await DeployLockedAsync(plan, connection, options, store, settings, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (!options.DryRun)
            {
                try
                {
                    await connection.ReleaseDeploymentLockAsync(options.LockName, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // The connection died (killed process, network): the server released the lock with it.
                    logger.LogDebug(ex, "could not release the deployment lock; the session is gone");
                }
            }
        }
    }

    /// <summary>
    /// Marks an unfinished deployment abandoned (<c>dotnet schema abandon</c>), under the deployment
    /// lock so a running deployment is never abandoned under its feet. Returns the record as it was.
    /// </summary>
    public async Task<DeploymentRecord> AbandonAsync(IDatabaseSession connection, string deploymentId, DeployOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= DeployOptions.Default;
        var store = new DeploymentStateStore(connection, options.StateTables);
        var record = await store.ExistsAsync(cancellationToken).ConfigureAwait(false) ? await store.GetAsync(deploymentId, cancellationToken).ConfigureAwait(false) : null;
        if (record is null)
        {
            throw new DeploymentRefusedException($"no deployment '{deploymentId}' is recorded in {connection.DatabaseName}; run 'dotnet schema status' to list them");
        }

        if (record.Status is StepStatus.Succeeded or StepStatus.Abandoned)
        {
            throw new DeploymentRefusedException($"deployment {deploymentId} is {record.Status}: there is nothing to abandon");
        }

        if (!await connection.TryAcquireDeploymentLockAsync(options.LockName, cancellationToken).ConfigureAwait(false))
        {
            throw new DeploymentRefusedException($"a deployment is running on {connection.DisplayName} right now (it holds the lock '{options.LockName}'); stop it before abandoning {deploymentId}. Nothing was changed.");
        }

        try
        {
            var reason = $"abandoned by {options.Actor ?? Environment.UserName} on {Environment.MachineName} at {DateTimeOffset.UtcNow:yyyy-MM-dd'T'HH:mm:ss'Z'}; the next deploy starts from the live schema";
            await store.AbandonAsync(deploymentId, reason, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("deployment {DeploymentId} abandoned", deploymentId);
            return record;
        }
        finally
        {
            await connection.ReleaseDeploymentLockAsync(options.LockName, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<DeploymentResult> DeployLockedAsync(Plan plan, IDatabaseSession connection, DeployOptions options, DeploymentStateStore store, IReadOnlyList<string> settings, CancellationToken cancellationToken)
    {
        var stateExists = await store.ExistsAsync(cancellationToken).ConfigureAwait(false);
        if (stateExists)
        {
            await store.CheckIsControlTableAsync(cancellationToken).ConfigureAwait(false);
        }

        if (!options.DryRun)
        {
            // Creates the control tables, or upgrades those an older SchemaBuild created, in place.
            await store.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        }

        if (!options.DryRun && stateExists)
        {
            // This process holds the deployment lock: a deployment still marked running has lost its process (killed, connection lost).
            await store.MarkInterruptedAsync(cancellationToken).ConfigureAwait(false);
        }

        var introspector = await IntrospectorAsync(connection, options, cancellationToken).ConfigureAwait(false);
        // A grant in the files to an object's owner is held through ownership: the server records none (ObjectOwners).
        var introspected = await introspector.IntrospectAsync(cancellationToken).ConfigureAwait(false);
        var live = (await introspector.OwnersAsync(cancellationToken).ConfigureAwait(false)).Credit(introspected, plan.Target, plan.Engine);
        var liveFingerprint = Fingerprint(live);
        var targetFingerprint = Fingerprint(plan.Target);
        if (!ReferenceEquals(live, introspected) && liveFingerprint != targetFingerprint && Fingerprint(introspected) is var asRead && asRead == plan.SourceFingerprint)
        {
            // A plan compiled from files whose source lacks a grant to the owner that its target adds: read as it is,
            // the live schema is that source (credited, it would be neither source nor target).
            (live, liveFingerprint) = (introspected, asRead);
        }

        var planFingerprint = PlanFingerprint.Compute(plan);
        var unfinished = stateExists ? await store.FindUnfinishedAsync(planFingerprint, cancellationToken).ConfigureAwait(false) : null;
        logger.LogInformation("live schema of {Database}: {Fingerprint}; plan source {Source}, target {Target}", connection.DatabaseName, liveFingerprint, plan.SourceFingerprint, plan.TargetFingerprint);

        if (liveFingerprint == targetFingerprint)
        {
            if (unfinished is not null && !options.DryRun)
            {
                foreach (var step in unfinished.Steps.Where(s => !StepStatus.IsDone(s.Status)))
                {
                    await store.StepFinishedAsync(unfinished.DeploymentId, step.StepId, StepStatus.AlreadyApplied, null, null, cancellationToken).ConfigureAwait(false);
                }

                await store.SetDeploymentStatusAsync(unfinished.DeploymentId, StepStatus.Succeeded, null, finished: true, cancellationToken).ConfigureAwait(false);
            }

            if (!options.DryRun)
            {
                // The schema did not change, its annotations may have (a column newly deprecated): the next live plan reads them.
                await store.RecordDeployedModelAsync(plan.Target, unfinished?.DeploymentId, cancellationToken).ConfigureAwait(false);
            }

            logger.LogInformation("{Database} already has the plan's target schema: nothing to do", connection.DatabaseName);
            options.Progress?.Note($"{connection.DatabaseName} already has the target schema: nothing to do");
            return new DeploymentResult(DeploymentOutcome.UpToDate, unfinished?.DeploymentId, plan, Array.Empty<PlannedStatement>()) { Settings = settings };
        }

        var liveIsSource = liveFingerprint == plan.SourceFingerprint || (plan.Source.Tables.Count + plan.Source.Views.Count > 0 && liveFingerprint == Fingerprint(plan.Source));
        var source = liveIsSource ? live : unfinished?.SourceModel is { } stored ? ModelSerializer.ReadSchema(JsonParser.Parse(stored)) : null;
        var replanned = false;
        var first = 1;
        var done = new HashSet<int>();
        var statementsDone = new Dictionary<int, int>();
        if (unfinished is not null)
        {
            foreach (var step in unfinished.Steps)
            {
                if (StepStatus.IsDone(step.Status))
                {
                    done.Add(step.StepId);
                }

                statementsDone[step.StepId] = step.StatementsDone;
            }
        }

        if (!liveIsSource && unfinished is not null)
        {
            // Resume: the live schema tells which steps already ran, whatever the state table managed to record before the process died.
            var models = source is null ? null : IntermediateModels(plan, source);
            var reached = models is null ? -1 : models.FindLastIndex(m => Fingerprint(m) == liveFingerprint);
            if (reached >= 0)
            {
                for (var i = 0; i < reached; i++)
                {
                    done.Add(plan.Steps[i].Id);
                }

                first = reached + 1;
            }
            else
            {
                first = plan.Steps.FirstOrDefault(s => !done.Contains(s.Id))?.Id ?? plan.Steps.Count + 1;
            }

            logger.LogInformation("resuming deployment {DeploymentId} at step {Step}", unfinished.DeploymentId, first);
        }
        else if (!liveIsSource)
        {
            var differences = ModelComparer.Differences(Strip(plan.Target), Strip(live));
            if (!options.AllowReplan)
            {
                throw new DriftDetectedException(connection.DatabaseName, liveFingerprint, differences);
            }

            logger.LogWarning("drift on {Database}: planning against the live schema ({Count} difference(s))", connection.DatabaseName, differences.Count);
            options.Progress?.Note($"drift: the live schema is neither the plan's source nor its target; planning against it (--allow-replan)");
            var replan = Planner.Create(live, plan.Target, plan.Engine);
            plan = replan with { SourceFingerprint = ModelFingerprint.Compute(live), TargetFingerprint = plan.TargetFingerprint };
            if (plan.HasErrors)
            {
                throw new DeploymentRefusedException(
                    "the plan against the live schema has errors:\n  " + string.Join("\n  ", plan.Diagnostics.Where(d => d.Severity == Core.Diagnostics.DiagnosticSeverity.Error && !d.Acknowledged)),
                    unsafePlan: true);
            }

            planFingerprint = PlanFingerprint.Compute(plan);
            source = live;
            replanned = true;
        }

        // Every ghost copy of the deployment cuts over together: the steps between them move before the gate or after the cutover.
        var order = GatedOrder.Arrange(plan.Steps.Where(s => s.Id >= first && !done.Contains(s.Id)).ToList(), options.GhostCopy.ManualGate, plan.Engine, keepsOldTables: !options.GhostCopy.DropOld);
        var toRun = order.Steps;
        await using var ghostRunner = new GhostCopyStepRunner(connection, options, logger);

        // Ghost copies that cannot run online are refused here, before any step runs.
        var ghostCopies = await ghostRunner.DescribeAsync(toRun, cancellationToken).ConfigureAwait(false);

        var statements = toRun
            .SelectMany(s => s.Sql.Skip(statementsDone.TryGetValue(s.Id, out var n) ? n : 0).Select(sql => new PlannedStatement(s.Id, StrategyNames.Of(s.Strategy), sql)))
            .ToList();
        if (options.DryRun)
        {
            return new DeploymentResult(DeploymentOutcome.DryRun, unfinished?.DeploymentId, plan, statements)
            {
                FirstStep = first, Replanned = replanned, Resumed = unfinished is not null && !liveIsSource, Settings = settings,
                GhostCopies = ghostCopies.Select(g => new GhostCopyPlan(g.Table, g.Shadow, g.ShadowDdl, g.KeyColumns, g.EstimatedRows, g.Notes)).ToList(),
            };
        }

        var deploymentId = unfinished?.DeploymentId ?? options.DeploymentId ?? NewDeploymentId();
        if (unfinished is null || replanned)
        {
            await store.StartAsync(
                new DeploymentRecord(deploymentId, planFingerprint, plan.SourceFingerprint, plan.TargetFingerprint, StepStatus.Running)
                {
                    Dialect = DialectNames.Of(plan.Engine.Dialect),
                    StepCount = plan.Steps.Count,
                    StartedBy = options.Actor ?? Environment.UserName,
                    Host = Environment.MachineName,
                    StartedAt = DateTimeOffset.UtcNow,
                    SourceModel = ModelSerializer.ToJson(source ?? live, includeSource: false, indented: false),
                },
                plan, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await store.SetDeploymentStatusAsync(deploymentId, StepStatus.Running, null, finished: false, cancellationToken).ConfigureAwait(false);
            foreach (var id in done)
            {
                if (unfinished.Steps.FirstOrDefault(s => s.StepId == id) is { } record && !StepStatus.IsDone(record.Status))
                {
                    await store.StepFinishedAsync(deploymentId, id, StepStatus.AlreadyApplied, null, null, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        options.Progress?.Started(deploymentId, plan, first);
        foreach (var note in order.Notes)
        {
            logger.LogInformation("{Note}", note);
            options.Progress?.Note(note);
        }

        logger.LogInformation("deployment {DeploymentId}: {Count} step(s) to run on {Database}", deploymentId, toRun.Count, connection.DisplayName);
        await connection.ApplyTimeoutsAsync(options.LockWait.LockWait, options.LockWait.StatementTimeout, cancellationToken).ConfigureAwait(false);
        var executor = new StepExecutor(connection, store, options, logger);
        var copiedWithGroup = new HashSet<int>();
        var cutoverLockHeld = TimeSpan.Zero;
        for (var index = 0; index < toRun.Count; index++)
        {
            var step = toRun[index];
            var watch = Stopwatch.StartNew();
            options.Progress?.StepStarted(step);
            await store.StepStartedAsync(deploymentId, step.Id, cancellationToken).ConfigureAwait(false);
            try
            {
                var startedBefore = unfinished?.Steps.FirstOrDefault(r => r.StepId == step.Id) is { } earlier && earlier.Status != StepStatus.Pending;
                if (step.Strategy != Strategy.GhostCopy)
                {
                    await executor.RunAsync(deploymentId, step, statementsDone.TryGetValue(step.Id, out var n) ? n : 0, cancellationToken, resumed: startedBefore).ConfigureAwait(false);
                }
                else if (!copiedWithGroup.Contains(step.Id))
                {
                    // The deployment's ghost copies run together and swap in one cutover; the later steps of the run are then already done.
                    var run = order.RunOf(step);
                    await ghostRunner.RunAsync(deploymentId, run, cancellationToken).ConfigureAwait(false);
                    cutoverLockHeld = ghostRunner.LastCutoverLockHeld;
                    copiedWithGroup.UnionWith(run.Select(s => s.Id));
                }
            }
            catch (StepFailedException ex)
            {
                await store.RecordFailureAsync(
                    async s =>
                    {
                        await s.StepFinishedAsync(deploymentId, step.Id, StepStatus.Failed, watch.Elapsed, ex.Message, CancellationToken.None).ConfigureAwait(false);
                        await s.SetDeploymentStatusAsync(deploymentId, StepStatus.Failed, ex.Message, finished: false, CancellationToken.None).ConfigureAwait(false);
                    },
                    logger, options.Reconnect).ConfigureAwait(false);
                options.Progress?.StepFinished(step, StepStatus.Failed, watch.Elapsed);
                logger.LogError("deployment {DeploymentId} step {StepId} failed: {Message}", deploymentId, step.Id, ex.Message);
                throw;
            }
            catch (Online.DeploymentCancelledException ex)
            {
                // Cancelled through the control table (dotnet schema cancel): never resumed; the next deploy starts from the live schema.
                await store.RecordFailureAsync(s => s.AbandonAsync(deploymentId, ex.Message, CancellationToken.None), logger, options.Reconnect).ConfigureAwait(false);
                options.Progress?.StepFinished(step, StepStatus.Abandoned, watch.Elapsed);
                logger.LogWarning("deployment {DeploymentId} cancelled during step {StepId}", deploymentId, step.Id);
                throw new StepFailedException(deploymentId, step.Id, ex.Message, ex);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Recorded as cancelled, not left running: the next deploy resumes it like any unfinished one.
                await store.RecordFailureAsync(
                    async s =>
                    {
                        await s.StepFinishedAsync(deploymentId, step.Id, StepStatus.Cancelled, watch.Elapsed, "cancelled by the caller", CancellationToken.None).ConfigureAwait(false);
                        await s.SetDeploymentStatusAsync(deploymentId, StepStatus.Cancelled, $"cancelled during step {step.Id}", finished: false, CancellationToken.None).ConfigureAwait(false);
                    },
                    logger).ConfigureAwait(false);
                options.Progress?.StepFinished(step, StepStatus.Cancelled, watch.Elapsed);
                logger.LogWarning("deployment {DeploymentId} cancelled during step {StepId}; deploy again to resume", deploymentId, step.Id);
                throw;
            }

            await store.StepFinishedAsync(deploymentId, step.Id, StepStatus.Succeeded, watch.Elapsed, null, cancellationToken).ConfigureAwait(false);
            options.Progress?.StepFinished(step, StepStatus.Succeeded, watch.Elapsed);
            logger.LogInformation("step {StepId} {Change} {Object} [{Strategy}] done in {Ms} ms", step.Id, step.Change, step.ObjectName, StrategyNames.Of(step.Strategy), watch.ElapsedMilliseconds);
        }

        // The live schema must now be the target: anything else is reported, never silently accepted.
        var reader = await IntrospectorAsync(connection, options, cancellationToken).ConfigureAwait(false);
        var after = (await reader.OwnersAsync(cancellationToken).ConfigureAwait(false)).Credit(await reader.IntrospectAsync(cancellationToken).ConfigureAwait(false), plan.Target, plan.Engine);
        if (Fingerprint(after) != Fingerprint(plan.Target))
        {
            var message = "every step ran but the live schema is not the plan's target (expected != live):\n  " + string.Join("\n  ", ModelComparer.Differences(Strip(plan.Target), Strip(after)));
            await store.SetDeploymentStatusAsync(deploymentId, StepStatus.Failed, message, finished: true, CancellationToken.None).ConfigureAwait(false);
            throw new StepFailedException(deploymentId, plan.Steps.Count, message, null);
        }

        await store.SetDeploymentStatusAsync(deploymentId, StepStatus.Succeeded, null, finished: true, cancellationToken).ConfigureAwait(false);
        await store.RecordDeployedModelAsync(plan.Target, deploymentId, cancellationToken).ConfigureAwait(false);
        await ghostRunner.HoldRevertWindowsAsync(cancellationToken).ConfigureAwait(false);
        return new DeploymentResult(DeploymentOutcome.Deployed, deploymentId, plan, statements)
        {
            FirstStep = first, Replanned = replanned, Resumed = unfinished is not null, Settings = settings, CutoverLockHeld = cutoverLockHeld,
        };
    }

    /// <summary>The introspector, leaving out the control tables and what ghost copies created or kept (shadows, changelogs, old tables).</summary>
    private static Task<Introspection.ISchemaIntrospector> IntrospectorAsync(IDatabaseSession connection, DeployOptions options, CancellationToken cancellationToken) =>
        LiveSchema.IntrospectorAsync(connection, options.StateTables, cancellationToken);

    /// <summary>The model after each step: [0] the source, [i] after step i. Null when the plan carries no typed changes (read from plan.json): they are recomputed from the source.</summary>
    private static List<Schema>? IntermediateModels(Plan plan, Schema source)
    {
        var steps = plan.Steps;
        if (steps.Any(s => s.Changes.Count == 0))
        {
            var replan = Planner.Create(source, plan.Target, plan.Engine);
            if (replan.Steps.Count != steps.Count || replan.Steps.Zip(steps).Any(p => !p.First.Sql.SequenceEqual(p.Second.Sql)))
            {
                return null;
            }

            steps = replan.Steps;
        }

        var models = new List<Schema> { source };
        foreach (var step in steps)
        {
            var model = models[^1];
            foreach (var change in step.Changes)
            {
                model = ChangeApplier.Apply(model, change);
            }

            models.Add(model);
        }

        return models;
    }

    private static Schema Strip(Schema schema) => LiveFingerprint.Comparable(schema);

    private static string Fingerprint(Schema schema) => LiveFingerprint.Of(schema);

    private static IReadOnlyList<string> Settings(DeployOptions options) => new[]
    {
        $"lock wait {options.LockWait.LockWait.TotalSeconds:0.###}s per statement, up to {options.LockWait.MaxAttempts} attempts with backoff from {options.LockWait.InitialBackoff.TotalMilliseconds:0} ms",
        $"statement timeout {options.LockWait.StatementTimeout.TotalSeconds:0}s",
    };

    internal static string NewDeploymentId() =>
        DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture) + "-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
}
