using System;
using System.Data.Common;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Core.Serialization;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Sessions;
using SchemaBuild.Runtime.State;
using Xunit;

namespace SchemaBuild.Runtime.Tests;

/// <summary>Control tables that evolve: in-place upgrades from 0.1's layout, one transaction per deployment's rows, statuses moved by compare-and-set.</summary>
public sealed class ControlTableVersionTests
{
    public static TheoryData<string> Engines() => new() { "mariadb", "postgres" };

    /// <summary>The control tables exactly as SchemaBuild 0.1 created them, written out by hand.</summary>
    private static string[] Version1Tables(string engine)
    {
        var text = engine == "postgres" ? "text" : "longtext";
        return new[]
        {
            "CREATE TABLE schemabuild_deployments (deployment_id varchar(64) NOT NULL PRIMARY KEY, plan_fingerprint varchar(100) NOT NULL, source_fingerprint varchar(100) NOT NULL, "
            + "target_fingerprint varchar(100) NOT NULL, dialect varchar(20) NOT NULL, status varchar(20) NOT NULL, step_count integer NOT NULL, started_by varchar(200) NOT NULL, "
            + $"started_host varchar(200) NOT NULL, started_at varchar(30) NOT NULL, updated_at varchar(30) NULL, finished_at varchar(30) NULL, error {text} NULL, source_model {text} NULL)",
            "CREATE TABLE schemabuild_steps (deployment_id varchar(64) NOT NULL, step_id integer NOT NULL, object_name varchar(400) NOT NULL, change_kind varchar(100) NOT NULL, "
            + "strategy varchar(40) NOT NULL, status varchar(20) NOT NULL, attempts integer NOT NULL, statements_done integer NOT NULL, started_at varchar(30) NULL, "
            + $"finished_at varchar(30) NULL, duration_ms bigint NULL, error {text} NULL, PRIMARY KEY (deployment_id, step_id))",
        };
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_deployment_interrupted_under_the_previous_layout_upgrades_in_place_and_resumes(string engine)
    {
        var dialect = SampleSchemas.Dialect(engine);
        var plan = Plans.Between(dialect, SampleSchemas.Baseline(engine), SampleSchemas.Desired(engine));
        await using var database = await TestDatabase.CreateAsync(dialect, "ctl_upgrade_" + engine);
        await database.RunAsync(SampleSchemas.Baseline(engine) + SampleSchemas.Seed);
        await using var session = await database.OpenAsync();
        foreach (var statement in Version1Tables(engine))
        {
            await session.ExecuteAsync(statement, null, CancellationToken.None);
        }

        // What 0.1 left behind when its process died during step 2: step 1 ran and was recorded, step 2 was running.
        const string id = "d-01-interrupted";
        var p = (Func<int, string>)session.Parameter;
        await session.ExecuteAsync(
            "INSERT INTO schemabuild_deployments (deployment_id, plan_fingerprint, source_fingerprint, target_fingerprint, dialect, status, step_count, started_by, started_host, started_at, updated_at, source_model) "
            + $"VALUES ({p(0)}, {p(1)}, {p(2)}, {p(3)}, {p(4)}, 'running', {p(5)}, 'ci', 'runner-1', '2026-01-01T10:00:00.000Z', '2026-01-01T10:00:05.000Z', {p(6)})",
            new object?[] { id, PlanFingerprint.Compute(plan), plan.SourceFingerprint, plan.TargetFingerprint, DialectNames.Of(dialect), plan.Steps.Count, ModelSerializer.ToJson(plan.Source, includeSource: false, indented: false) },
            CancellationToken.None);
        foreach (var step in plan.Steps)
        {
            var status = step.Id == 1 ? "succeeded" : step.Id == 2 ? "running" : "pending";
            await session.ExecuteAsync(
                "INSERT INTO schemabuild_steps (deployment_id, step_id, object_name, change_kind, strategy, status, attempts, statements_done) "
                + $"VALUES ({p(0)}, {p(1)}, {p(2)}, {p(3)}, {p(4)}, {p(5)}, 1, 0)",
                new object?[] { id, step.Id, step.ObjectName, step.Change, StrategyNames.Of(step.Strategy), status },
                CancellationToken.None);
        }

        foreach (var sql in plan.Steps[0].Sql)
        {
            await session.ExecuteAsync(sql, null, CancellationToken.None);
        }

        var store = new DeploymentStateStore(session, StateTableNames.Default);
        Assert.Equal(1, await store.VersionAsync(CancellationToken.None));
        Assert.Equal("running", (await store.GetAsync(id, CancellationToken.None))!.Status);

        var result = await new Deployer().DeployAsync(plan, session, DeployOptions.Default, CancellationToken.None);
        Assert.Equal(DeploymentOutcome.Deployed, result.Outcome);
        Assert.True(result.Resumed);
        Assert.Equal(id, result.DeploymentId);
        Assert.Equal(2, result.FirstStep);

        var upgraded = new DeploymentStateStore(session, StateTableNames.Default);
        Assert.Equal(DeploymentStateStore.CurrentVersion, await upgraded.VersionAsync(CancellationToken.None));
        var finished = (await upgraded.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(StepStatus.Succeeded, finished.Status);
        Assert.All(finished.Steps, s => Assert.True(StepStatus.IsDone(s.Status), $"step {s.StepId} is {s.Status}"));
        await upgraded.StepProgressAsync(id, 2, "{\"rows\":42}", CancellationToken.None);
        Assert.Equal("{\"rows\":42}", (await upgraded.GetAsync(id, CancellationToken.None))!.Steps[1].Progress);
        ModelAssert.Same(plan.Target, await session.CreateIntrospector(StateTableNames.Default.All).IntrospectAsync(CancellationToken.None), "after the upgrade and resume");

        // Upgrading again is a no-op, and the version table stays out of the live model.
        await upgraded.EnsureCreatedAsync(CancellationToken.None);
        Assert.Equal(DeploymentStateStore.CurrentVersion, await new DeploymentStateStore(session, StateTableNames.Default).VersionAsync(CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Control_tables_from_a_newer_SchemaBuild_are_refused(string engine)
    {
        var dialect = SampleSchemas.Dialect(engine);
        await using var database = await TestDatabase.CreateAsync(dialect, "ctl_newer_" + engine);
        await using var session = await database.OpenAsync();
        var store = new DeploymentStateStore(session, StateTableNames.Default);
        await store.EnsureCreatedAsync(CancellationToken.None);
        await session.ExecuteAsync($"UPDATE {session.Writer.QuoteIdentifier(StateTableNames.Default.Version)} SET value = 99", null, CancellationToken.None);
        var error = await Assert.ThrowsAsync<ControlTableConflictException>(() => new DeploymentStateStore(session, StateTableNames.Default).EnsureCreatedAsync(CancellationToken.None));
        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
        Assert.Contains("Upgrade SchemaBuild", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_deployments_rows_are_written_in_one_transaction_and_statuses_move_only_by_allowed_transitions(string engine)
    {
        var dialect = SampleSchemas.Dialect(engine);
        var plan = Plans.Between(dialect, SampleSchemas.Baseline(engine), SampleSchemas.Desired(engine));
        await using var database = await TestDatabase.CreateAsync(dialect, "ctl_tx_" + engine);
        await using var session = await database.OpenAsync();
        var store = new DeploymentStateStore(session, StateTableNames.Default);
        await store.EnsureCreatedAsync(CancellationToken.None);
        DeploymentRecord Record(string id) => new(id, "plan", plan.SourceFingerprint, plan.TargetFingerprint, StepStatus.Running) { Dialect = DialectNames.Of(dialect), StepCount = plan.Steps.Count, StartedAt = DateTimeOffset.UtcNow };

        // A step row that cannot be written (its id twice) takes the deployment row with it.
        var broken = plan with { Steps = plan.Steps.Concat(new[] { plan.Steps[0] }).ToEquatableList() };
        await Assert.ThrowsAnyAsync<DbException>(() => store.StartAsync(Record("d-broken"), broken, CancellationToken.None));
        Assert.Null(await store.GetAsync("d-broken", CancellationToken.None));

        await store.StartAsync(Record("d-ok"), plan, CancellationToken.None);
        await store.StepStartedAsync("d-ok", 1, CancellationToken.None);
        await store.StepFinishedAsync("d-ok", 1, StepStatus.Succeeded, TimeSpan.FromMilliseconds(5), null, CancellationToken.None);
        await store.SetDeploymentStatusAsync("d-ok", StepStatus.Succeeded, null, finished: true, CancellationToken.None);

        // Compare-and-set: a finished step or deployment does not move back, and a row edited by hand is reported.
        var step = await Assert.ThrowsAsync<ControlTableConflictException>(() => store.StepFinishedAsync("d-ok", 1, StepStatus.Failed, null, "late", CancellationToken.None));
        Assert.Contains("'succeeded'", step.Message, StringComparison.Ordinal);
        var deployment = await Assert.ThrowsAsync<ControlTableConflictException>(() => store.SetDeploymentStatusAsync("d-ok", StepStatus.Running, null, finished: false, CancellationToken.None));
        Assert.Contains("cannot become 'running'", deployment.Message, StringComparison.Ordinal);
        await session.ExecuteAsync($"UPDATE schemabuild_steps SET status = 'half-done' WHERE step_id = 2", null, CancellationToken.None);
        var edited = await Assert.ThrowsAsync<ControlTableConflictException>(() => store.StepStartedAsync("d-ok", 2, CancellationToken.None));
        Assert.Contains("'half-done'", edited.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => StatusTransitions.StepFrom("half-done"));
        Assert.Equal(StepStatus.Succeeded, (await store.GetAsync("d-ok", CancellationToken.None))!.Status);
    }
}
