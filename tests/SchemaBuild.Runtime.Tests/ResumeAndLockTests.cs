using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Sessions;
using SchemaBuild.Runtime.State;
using Xunit;

namespace SchemaBuild.Runtime.Tests;

/// <summary>Deployment state against both servers: kill and resume, the advisory lock, lock waits with retries.</summary>
public sealed class ResumeAndLockTests
{
    [Theory]
    [InlineData("mariadb")]
    [InlineData("postgres")]
    public async Task A_killed_deploy_resumes_from_the_first_unfinished_step_and_detects_a_step_that_already_ran(string engine)
    {
        var dialect = SampleSchemas.Dialect(engine);
        var plan = Plans.Between(dialect, SampleSchemas.Baseline(engine), SampleSchemas.Desired(engine));
        Assert.True(plan.Steps.Count >= 3, $"the sample plan needs at least three steps, has {plan.Steps.Count}");
        await using var database = await TestDatabase.CreateAsync(dialect, "resume_" + engine);
        await database.RunAsync(SampleSchemas.Baseline(engine) + SampleSchemas.Seed);

        // The process dies during step 2, after its statement ran but before the state table recorded it.
        var second = plan.Steps[1];
        var reached = new TaskCompletionSource();
        using var kill = new CancellationTokenSource();
        var first = await database.OpenAsync();
        var options = DeployOptions.Default with
        {
            BeforeStatement = async (step, index, ct) =>
            {
                if (step.Id != second.Id)
                {
                    return;
                }

                await using (var other = await database.OpenAsync())
                {
                    foreach (var sql in step.Sql)
                    {
                        await other.ExecuteAsync(sql, null, CancellationToken.None);
                    }
                }

                reached.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            },
        };
        var running = new Deployer().DeployAsync(plan, first, options, kill.Token);
        await reached.Task.WaitAsync(TimeSpan.FromMinutes(1));
        kill.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        await first.DisposeAsync();

        await using var session = await database.OpenAsync();
        var store = new DeploymentStateStore(session, StateTableNames.Default);
        var interrupted = (await store.ListAsync(1, CancellationToken.None)).Single();
        Assert.Equal(StepStatus.Cancelled, interrupted.Status);
        Assert.Equal(StepStatus.Succeeded, interrupted.Steps[0].Status);
        Assert.Equal(StepStatus.Cancelled, interrupted.Steps[1].Status);

        var result = await new Deployer().DeployAsync(plan, session, DeployOptions.Default, CancellationToken.None);
        Assert.Equal(DeploymentOutcome.Deployed, result.Outcome);
        Assert.True(result.Resumed);
        Assert.Equal(interrupted.DeploymentId, result.DeploymentId);
        Assert.Equal(3, result.FirstStep);
        var finished = (await store.GetAsync(interrupted.DeploymentId, CancellationToken.None))!;
        Assert.Equal(StepStatus.Succeeded, finished.Status);
        Assert.Equal(StepStatus.AlreadyApplied, finished.Steps[1].Status);
        Assert.All(finished.Steps, s => Assert.True(StepStatus.IsDone(s.Status), $"step {s.StepId} is {s.Status}"));
        ModelAssert.Same(plan.Target, await session.CreateIntrospector(StateTableNames.Default.All).IntrospectAsync(CancellationToken.None), "after resume");
    }

    [Theory]
    [InlineData("mariadb")]
    [InlineData("postgres")]
    public async Task A_second_concurrent_deploy_is_refused(string engine)
    {
        var dialect = SampleSchemas.Dialect(engine);
        var plan = Plans.Between(dialect, SampleSchemas.Baseline(engine), SampleSchemas.Desired(engine));
        await using var database = await TestDatabase.CreateAsync(dialect, "concurrent_" + engine);
        await database.RunAsync(SampleSchemas.Baseline(engine));
        var reached = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        await using var first = await database.OpenAsync();
        var options = DeployOptions.Default with
        {
            BeforeStatement = async (step, index, ct) =>
            {
                reached.TrySetResult();
                await release.Task.WaitAsync(ct);
            },
        };
        var running = new Deployer().DeployAsync(plan, first, options, CancellationToken.None);
        await reached.Task.WaitAsync(TimeSpan.FromMinutes(1));

        await using (var second = await database.OpenAsync())
        {
            var refused = await Assert.ThrowsAsync<DeploymentRefusedException>(() => new Deployer().DeployAsync(plan, second, DeployOptions.Default, CancellationToken.None));
            Assert.Contains("another deployment is running", refused.Message, StringComparison.Ordinal);
            Assert.False(refused.UnsafePlan);
        }

        release.SetResult();
        Assert.Equal(DeploymentOutcome.Deployed, (await running).Outcome);
    }

    [Theory]
    [InlineData("mariadb")]
    [InlineData("postgres")]
    public async Task A_step_blocked_by_a_lock_gives_up_within_the_lock_wait_retries_and_never_holds_application_queries_longer(string engine)
    {
        var dialect = SampleSchemas.Dialect(engine);
        var plan = Plans.Between(dialect, SampleSchemas.Baseline(engine), SampleSchemas.Desired(engine));
        await using var database = await TestDatabase.CreateAsync(dialect, "lockwait_" + engine);
        await database.RunAsync(SampleSchemas.Baseline(engine) + SampleSchemas.Seed);
        var lockWait = TimeSpan.FromSeconds(1);
        var blocked = plan.Steps.First(s => s.ObjectName.EndsWith("customers.nickname", StringComparison.Ordinal));

        // A long transaction that read the table holds a lock the ALTER conflicts with.
        await using var blocker = await database.OpenAsync();
        await blocker.ExecuteAsync("BEGIN", null, CancellationToken.None);
        await blocker.QueryAsync("SELECT COUNT(*) FROM customers", null, CancellationToken.None);

        var attempts = 0;
        var applicationWaits = new System.Collections.Concurrent.ConcurrentBag<TimeSpan>();
        var applicationQueries = new System.Collections.Concurrent.ConcurrentBag<Task>();
        var options = DeployOptions.Default with
        {
            LockWait = LockWaitPolicy.Default with { LockWait = lockWait, MaxAttempts = 20, InitialBackoff = TimeSpan.FromMilliseconds(200), MaxBackoff = TimeSpan.FromMilliseconds(400) },
            LongTransactionThreshold = TimeSpan.FromHours(1),
            BeforeStatement = (step, index, ct) =>
            {
                if (step.Id == blocked.Id && Interlocked.Increment(ref attempts) <= 3)
                {
                    // An application query arriving while the ALTER waits queues behind it.
                    applicationQueries.Add(Task.Run(async () =>
                    {
                        await Task.Delay(300);
                        await using var app = await database.OpenAsync();
                        var watch = Stopwatch.StartNew();
                        await app.QueryAsync("SELECT COUNT(*) FROM customers", null, CancellationToken.None);
                        applicationWaits.Add(watch.Elapsed);
                    }));
                }

                return Task.CompletedTask;
            },
        };
        await using var session = await database.OpenAsync();
        var watch = Stopwatch.StartNew();
        var deploying = new Deployer().DeployAsync(plan, session, options, CancellationToken.None);
        while (Volatile.Read(ref attempts) < 3 && watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }

        await blocker.ExecuteAsync("COMMIT", null, CancellationToken.None);
        var result = await deploying;
        await Task.WhenAll(applicationQueries);
        Assert.Equal(DeploymentOutcome.Deployed, result.Outcome);
        Assert.True(attempts >= 3, $"the blocked step should have retried; attempts: {attempts}");
        Assert.True(watch.Elapsed >= lockWait * 2, $"the deploy finished in {watch.Elapsed.TotalMilliseconds:0} ms: it cannot have waited for the lock");

        var store = new DeploymentStateStore(session, StateTableNames.Default);
        var record = (await store.GetAsync(result.DeploymentId!, CancellationToken.None))!;
        var recorded = record.Steps.Single(s => s.StepId == blocked.Id);
        Assert.True(recorded.Attempts >= 3, $"state records {recorded.Attempts} attempts");
        var longest = applicationWaits.Max();
        Assert.True(longest < lockWait + TimeSpan.FromMilliseconds(700), $"an application query waited {longest.TotalMilliseconds:0} ms behind the DDL; the lock wait is {lockWait.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task An_invalid_index_left_by_a_failed_concurrent_build_is_detected_and_rebuilt()
    {
        const string baseline = "CREATE TABLE accounts (id bigint PRIMARY KEY, code text NOT NULL);\n";
        const string desired = "CREATE TABLE accounts (id bigint PRIMARY KEY, code text NOT NULL);\nCREATE UNIQUE INDEX accounts_code_key ON accounts (code);\n";
        var plan = Plans.Between(Core.Model.DialectKind.Postgres, baseline, desired);
        await using var database = await TestDatabase.CreateAsync(Core.Model.DialectKind.Postgres, "invalid_index");
        await database.RunAsync(baseline + "INSERT INTO accounts VALUES (1, 'x'), (2, 'x');");
        await using var session = await database.OpenAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => session.ExecuteAsync("CREATE UNIQUE INDEX CONCURRENTLY accounts_code_key ON accounts (code)", null, CancellationToken.None));
        await session.ExecuteAsync("UPDATE accounts SET code = 'y' WHERE id = 2", null, CancellationToken.None);
        var invalid = await session.QueryAsync("SELECT count(*) FROM pg_index WHERE NOT indisvalid", null, CancellationToken.None);
        Assert.Equal(1L, invalid[0][0]);

        var notes = new System.Collections.Generic.List<string>();
        var result = await new Deployer().DeployAsync(plan, session, DeployOptions.Default with { Progress = new RecordingProgress(notes) }, CancellationToken.None);
        Assert.Equal(DeploymentOutcome.Deployed, result.Outcome);
        Assert.Contains(notes, n => n.Contains("invalid index", StringComparison.Ordinal));
        Assert.Equal(0L, (await session.QueryAsync("SELECT count(*) FROM pg_index WHERE NOT indisvalid", null, CancellationToken.None))[0][0]);
        ModelAssert.Same(plan.Target, await session.CreateIntrospector(StateTableNames.Default.All).IntrospectAsync(CancellationToken.None), "after rebuilding the index");
    }
}
