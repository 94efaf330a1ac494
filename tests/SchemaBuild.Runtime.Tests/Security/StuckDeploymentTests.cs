using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Runtime.Engines.Postgres;
using SchemaBuild.Runtime.Engines.MySql;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Sessions;
using SchemaBuild.Runtime.State;
using Xunit;

namespace SchemaBuild.Runtime.Tests.Security;

/// <summary>Issue 10 §4: no deployment stays stuck: resumes, lost connections, malformed plans, abandon, control tables, the long-transaction pre-flight.</summary>
public sealed class StuckDeploymentTests
{
    private static string Baseline(string engine) => engine == "postgres"
        ? "CREATE TABLE customers (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL);\n"
        : "CREATE TABLE customers (id BIGINT NOT NULL PRIMARY KEY) ENGINE=InnoDB;\nCREATE TABLE orders (id BIGINT NOT NULL PRIMARY KEY, customer_id BIGINT NOT NULL, KEY ix_orders_customer (customer_id)) ENGINE=InnoDB;\n";

    private static string WithForeignKey(string engine) => engine == "postgres"
        ? "CREATE TABLE customers (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id));\n"
        : "CREATE TABLE customers (id BIGINT NOT NULL PRIMARY KEY) ENGINE=InnoDB;\nCREATE TABLE orders (id BIGINT NOT NULL PRIMARY KEY, customer_id BIGINT NOT NULL, KEY ix_orders_customer (customer_id), CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id)) ENGINE=InnoDB;\n";

    private const string Seed = "INSERT INTO customers (id) VALUES (1);\nINSERT INTO orders (id, customer_id) VALUES (1, 1);\n";

    [Fact]
    public async Task A_resumed_foreign_key_step_restores_foreign_key_checks_before_its_alter()
    {
        var plan = Plans.Between(DialectKind.MariaDb, Baseline("mariadb"), WithForeignKey("mariadb"));
        var step = plan.Steps.Single(s => s.Sql.Any(q => q.Contains("FOREIGN KEY", StringComparison.Ordinal)));
        Assert.StartsWith("SET SESSION foreign_key_checks = 0", step.Sql[0], StringComparison.Ordinal);
        await using var database = await TestDatabase.CreateAsync(DialectKind.MariaDb, "resume_fk");
        await database.RunAsync(Baseline("mariadb") + Seed);

        // The process dies after the SET was recorded, before the ALTER.
        await InterruptAsync(database, plan, step.Id, 1, runFirst: false);

        await using var session = await database.OpenAsync();
        var result = await new Deployer().DeployAsync(plan, session, DeployOptions.Default, CancellationToken.None);
        Assert.Equal(DeploymentOutcome.Deployed, result.Outcome);
        Assert.True(result.Resumed);
        ModelAssert.Same(plan.Target, await Live(session), "after the resumed foreign key step");
    }

    [Fact]
    public async Task A_statement_that_committed_without_being_recorded_is_recognised_on_resume()
    {
        // SET NOT NULL is planned as CHECK NOT VALID, VALIDATE, SET NOT NULL, DROP CHECK: four statements, not one transaction.
        const string baseline = "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);\n";
        const string desired = "-- schema:allow SB2004 orders.customer_id \"every row has one\"\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL);\n";
        var plan = Plans.Between(DialectKind.Postgres, baseline, desired);
        var step = plan.Steps.Single(s => s.Sql.Count > 1);
        Assert.False(step.Transactional);
        Assert.Contains("NOT VALID", step.Sql[0], StringComparison.Ordinal);
        await using var database = await TestDatabase.CreateAsync(DialectKind.Postgres, "resume_notvalid");
        await database.RunAsync(baseline + "INSERT INTO orders (id, customer_id) VALUES (1, 1);\n");

        // The first statement commits, then the process dies before recording it.
        await InterruptAsync(database, plan, step.Id, 0, runFirst: true);

        await using var session = await database.OpenAsync();
        var lines = new List<string>();
        var result = await new Deployer().DeployAsync(plan, session, DeployOptions.Default with { Progress = new RecordingProgress(lines) }, CancellationToken.None);
        Assert.Equal(DeploymentOutcome.Deployed, result.Outcome);
        Assert.Contains(lines, l => l.Contains("already applied", StringComparison.Ordinal));
        ModelAssert.Same(plan.Target, await Live(session), "after the resumed SET NOT NULL step");
    }

    [Theory]
    [InlineData("mariadb")]
    [InlineData("postgres")]
    public async Task A_lost_connection_marks_the_step_and_the_deployment_failed_with_the_cause(string engine)
    {
        var dialect = SampleSchemas.Dialect(engine);
        var plan = Plans.Between(dialect, SampleSchemas.Baseline(engine), SampleSchemas.Desired(engine));
        await using var database = await TestDatabase.CreateAsync(dialect, "lost_" + engine);
        await database.RunAsync(SampleSchemas.Baseline(engine));
        await using var session = await database.OpenAsync();
        var options = DeployOptions.Default with
        {
            Reconnect = _ => database.OpenAsync(),
            BeforeStatement = async (step, index, ct) =>
            {
                if (step.Id != 2)
                {
                    return;
                }

                await using var other = await database.OpenAsync();
                var kill = session is MySqlSession my
                    ? $"KILL CONNECTION {my.ConnectionId}"
                    : $"SELECT pg_terminate_backend({((PostgresSession)session).ProcessId})";
                await other.ExecuteAsync(kill, null, ct);
                await Task.Delay(200, ct);
            },
        };
        await Assert.ThrowsAsync<StepFailedException>(() => new Deployer().DeployAsync(plan, session, options, CancellationToken.None));

        await using var check = await database.OpenAsync();
        var record = (await new DeploymentStateStore(check, StateTableNames.Default).ListAsync(1, CancellationToken.None)).Single();
        Assert.Equal(StepStatus.Failed, record.Status);
        var failed = record.Steps.Single(s => s.StepId == 2);
        Assert.Equal(StepStatus.Failed, failed.Status);
        Assert.False(string.IsNullOrWhiteSpace(failed.Error));
        Assert.Contains("statement 1", failed.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("steps-not-a-list", "'steps' must be a list")]
    [InlineData("sql-not-a-list", "'sql' must be a list")]
    [InlineData("duplicate-id", "step ids must be 1, 2, 3")]
    [InlineData("id-out-of-range", "step ids must be 1, 2, 3")]
    public void A_malformed_plan_is_a_usage_error_before_connecting(string damage, string expected)
    {
        var json = JsonNode.Parse(PlanJson.Write(Plans.Between(DialectKind.MariaDb, SampleSchemas.Baseline("mariadb"), SampleSchemas.Desired("mariadb"))))!.AsObject();
        var steps = (JsonArray)json["steps"]!;
        switch (damage)
        {
            case "steps-not-a-list": json["steps"] = new JsonObject { ["id"] = 1 }; break;
            case "sql-not-a-list": steps[0]!["sql"] = "DROP TABLE customers"; break;
            case "duplicate-id": steps[1]!["id"] = 1; break;
            default: steps[1]!["id"] = 99; break;
        }

        var file = Path.Combine(Path.GetTempPath(), $"sb-malformed-{Guid.NewGuid():n}.json");
        File.WriteAllText(file, json.ToJsonString());
        try
        {
            // Port 9 on loopback: nothing listens there, so reaching the connection would fail with exit 4.
            var result = SchemaTool.Run("deploy", "--plan", file, "--connection", "mariadb://u:p@127.0.0.1:9/db");
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains(expected, result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Abandon_marks_an_interrupted_deployment_so_the_next_deploy_starts_from_the_live_schema_and_edited_rows_are_reported()
    {
        var plan = Plans.Between(DialectKind.MariaDb, SampleSchemas.Baseline("mariadb"), SampleSchemas.Desired("mariadb"));
        await using var database = await TestDatabase.CreateAsync(DialectKind.MariaDb, "abandon");
        await database.RunAsync(SampleSchemas.Baseline("mariadb"));
        await InterruptAsync(database, plan, 2, 0, runFirst: false);
        string id;
        await using (var session = await database.OpenAsync())
        {
            id = (await new DeploymentStateStore(session, StateTableNames.Default).ListAsync(1, CancellationToken.None)).Single().DeploymentId;
            await session.ExecuteAsync("UPDATE schemabuild_steps SET started_at = 'yesterday' WHERE step_id = 1", null, CancellationToken.None);
        }

        var status = SchemaTool.Run("status", "--connection", database.UrlText);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("started_at of " + id + " step 1 is 'yesterday'", status.Output, StringComparison.Ordinal);

        var abandon = SchemaTool.Run("abandon", "--connection", database.UrlText, "--deployment", id);
        Assert.True(abandon.ExitCode == 0, abandon.ToString());
        await using (var session = await database.OpenAsync())
        {
            var record = (await new DeploymentStateStore(session, StateTableNames.Default).GetAsync(id, CancellationToken.None))!;
            Assert.Equal(StepStatus.Abandoned, record.Status);
            Assert.Contains(record.Steps, s => s.Status == StepStatus.Abandoned);

            // Step 1 ran: the live schema is neither source nor target. Not resumed: drift, unless re-planned against the live schema.
            await Assert.ThrowsAsync<DriftDetectedException>(() => new Deployer().DeployAsync(plan, session, DeployOptions.Default, CancellationToken.None));
            var replanned = await new Deployer().DeployAsync(plan, session, DeployOptions.Default with { AllowReplan = true }, CancellationToken.None);
            Assert.True(replanned.Replanned);
            Assert.NotEqual(id, replanned.DeploymentId);
        }
    }

    [Theory]
    [InlineData("mariadb")]
    [InlineData("postgres")]
    public async Task Control_table_names_that_are_too_long_or_taken_by_a_user_table_are_refused(string engine)
    {
        var dialect = SampleSchemas.Dialect(engine);
        await using var database = await TestDatabase.CreateAsync(dialect, "ctl_names_" + engine);
        await database.RunAsync(SampleSchemas.Baseline(engine) + "CREATE TABLE mine (x int);\nINSERT INTO mine (x) VALUES (7);\n");
        var plan = Path.Combine(Path.GetTempPath(), $"sb-ctl-{Guid.NewGuid():n}.json");
        File.WriteAllText(plan, PlanJson.Write(Plans.Between(dialect, SampleSchemas.Baseline(engine) + "CREATE TABLE mine (x int);\n", SampleSchemas.Desired(engine) + "CREATE TABLE mine (x int);\n")));
        try
        {
            var tooLong = SchemaTool.Run("deploy", "--plan", plan, "--connection", database.UrlText, "--deployments-table", new string('d', 70));
            Assert.True(tooLong.ExitCode == 2, tooLong.ToString());
            Assert.Contains("70 bytes", tooLong.Error, StringComparison.Ordinal);

            var taken = SchemaTool.Run("deploy", "--plan", plan, "--connection", database.UrlText, "--deployments-table", "mine");
            Assert.True(taken.ExitCode == 2, taken.ToString());
            Assert.Contains("is not a SchemaBuild control table", taken.Error, StringComparison.Ordinal);
            await using var session = await database.OpenAsync();
            Assert.Equal(7L, Convert.ToInt64((await session.QueryAsync("SELECT x FROM mine", null, CancellationToken.None)).Single()[0]));
        }
        finally
        {
            File.Delete(plan);
        }
    }

    [Fact]
    public async Task The_long_transaction_preflight_runs_once_per_table_never_for_creations_and_ignores_other_databases()
    {
        const string baseline = "CREATE TABLE customers (id BIGINT NOT NULL PRIMARY KEY, email VARCHAR(200) NOT NULL) ENGINE=InnoDB;\n";
        const string desired = "CREATE TABLE customers (id BIGINT NOT NULL PRIMARY KEY, email VARCHAR(200) NOT NULL, nickname VARCHAR(50) NULL, KEY ix_customers_email (email)) ENGINE=InnoDB;\n"
            + "CREATE TABLE notes (id BIGINT NOT NULL PRIMARY KEY) ENGINE=InnoDB;\n";
        var plan = Plans.Between(DialectKind.MariaDb, baseline, desired);
        Assert.True(plan.Steps.Count(s => s.ObjectName.StartsWith("customers", StringComparison.Ordinal)) >= 2, "the plan needs two steps on one table: " + string.Join(", ", plan.Steps.Select(s => s.ObjectName)));
        await using var database = await TestDatabase.CreateAsync(DialectKind.MariaDb, "preflight");
        await using var elsewhere = await TestDatabase.CreateAsync(DialectKind.MariaDb, "preflight_other");
        await database.RunAsync(baseline);
        await elsewhere.RunAsync("CREATE TABLE t (x int) ENGINE=InnoDB;\nINSERT INTO t VALUES (1);\n");

        // A long transaction in another database holds nothing here: no waiting at all.
        await using (var other = await elsewhere.OpenAsync())
        {
            await other.ExecuteAsync("START TRANSACTION", null, CancellationToken.None);
            await other.ExecuteAsync("UPDATE t SET x = 2", null, CancellationToken.None);
            await Task.Delay(1500);
            var lines = await DeployWithPreflightAsync(database, plan);
            Assert.DoesNotContain(lines, l => l.Contains("long transaction", StringComparison.Ordinal));
        }

        // One in this database: waited for once for customers, never for the new table.
        await using var second = await TestDatabase.CreateAsync(DialectKind.MariaDb, "preflight_same");
        await second.RunAsync(baseline + "CREATE TABLE busy (x int) ENGINE=InnoDB;\nINSERT INTO busy VALUES (1);\n");
        var withBusy = Plans.Between(DialectKind.MariaDb, baseline + "CREATE TABLE busy (x int) ENGINE=InnoDB;\n", desired + "CREATE TABLE busy (x int) ENGINE=InnoDB;\n");
        await using (var same = await second.OpenAsync())
        {
            await same.ExecuteAsync("START TRANSACTION", null, CancellationToken.None);
            await same.ExecuteAsync("UPDATE busy SET x = 2", null, CancellationToken.None);
            await Task.Delay(1500);
            var lines = await DeployWithPreflightAsync(second, withBusy);
            Assert.Single(lines, l => l.Contains("waiting up to", StringComparison.Ordinal));
        }
    }

    private static async Task<List<string>> DeployWithPreflightAsync(TestDatabase database, Plan plan)
    {
        var lines = new List<string>();
        await using var session = await database.OpenAsync();
        var options = DeployOptions.Default with
        {
            LongTransactionThreshold = TimeSpan.FromSeconds(1),
            LongTransactionWait = TimeSpan.FromSeconds(1),
            Progress = new RecordingProgress(lines),
        };
        Assert.Equal(DeploymentOutcome.Deployed, (await new Deployer().DeployAsync(plan, session, options, CancellationToken.None)).Outcome);
        return lines;
    }

    /// <summary>
    /// Starts the plan and kills the run just before statement <paramref name="statement"/> of step
    /// <paramref name="stepId"/> (after the earlier ones were recorded); with <paramref name="runFirst"/>
    /// that statement commits on another connection first, as if the process died before recording it.
    /// </summary>
    private static async Task InterruptAsync(TestDatabase database, Plan plan, int stepId, int statement, bool runFirst)
    {
        using var kill = new CancellationTokenSource();
        var options = DeployOptions.Default with
        {
            BeforeStatement = async (step, index, ct) =>
            {
                if (step.Id != stepId || index != statement)
                {
                    return;
                }

                if (runFirst)
                {
                    await using var other = await database.OpenAsync();
                    await other.ExecuteAsync(step.Sql[index], null, CancellationToken.None);
                }

                kill.Cancel();
                ct.ThrowIfCancellationRequested();
            },
        };
        await using var session = await database.OpenAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new Deployer().DeployAsync(plan, session, options, kill.Token));
    }

    private static Task<Schema> Live(IDatabaseSession session) =>
        session.CreateIntrospector(StateTableNames.Default.All).IntrospectAsync(CancellationToken.None);
}
