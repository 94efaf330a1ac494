using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Deployment;
using Xunit;

namespace SchemaBuild.Runtime.Tests.Security;

/// <summary>Issue 10 §2: deploy runs only SQL derived from the plan's own models; edited plans are refused (exit 2) before anything runs.</summary>
public sealed class PlanIntegrityTests
{
    private const string Baseline = "CREATE TABLE victim (id int PRIMARY KEY);\nCREATE TABLE users (id int PRIMARY KEY, email varchar(100) NOT NULL);\n";
    private const string Desired = "CREATE TABLE victim (id int PRIMARY KEY);\nCREATE TABLE users (id int PRIMARY KEY, email varchar(100) NOT NULL, name varchar(50) NULL);\n";

    [Theory]
    [InlineData("mariadb")]
    [InlineData("postgres")]
    public async Task A_statement_added_to_a_step_is_refused_and_nothing_runs(string engine)
    {
        await RefusedAsync(engine, Baseline, Desired, plan =>
        {
            var sql = (JsonArray)plan["steps"]![0]!["sql"]!;
            sql.Add(engine == "postgres" ? "CREATE ROLE intruder SUPERUSER" : "DELETE FROM victim");
        }, "step 1: statement 2 is not derived from the models");
    }

    [Fact]
    public async Task A_ghost_copy_step_relabelled_instant_is_refused()
    {
        const string desired = "CREATE TABLE victim (id int PRIMARY KEY);\nCREATE TABLE users (id int PRIMARY KEY, email varchar(100) NOT NULL, CONSTRAINT ck_email CHECK (email LIKE '%@%'));\n";
        var plan = Plans.Between(DialectKind.MariaDb, Baseline, desired);
        Assert.Equal(Core.Planning.Strategy.GhostCopy, plan.Steps[0].Strategy);
        await RefusedAsync("mariadb", Baseline, desired, json => json["steps"]![0]!["strategy"] = "instant", "step 1: strategy is 'instant', expected 'ghost-copy'");
    }

    [Fact]
    public async Task An_edited_target_fingerprint_is_refused()
    {
        await RefusedAsync("mariadb", Baseline, Desired, json => json["targetFingerprint"] = "sha256:" + new string('0', 64), "targetFingerprint is sha256:000");
    }

    [Fact]
    public async Task A_plan_in_a_newer_major_format_is_refused_with_what_to_do()
    {
        await RefusedAsync("mariadb", Baseline, Desired, json => json["formatVersion"] = "2.0.0", "written by a newer SchemaBuild");
    }

    [Fact]
    public async Task A_plan_without_its_source_model_is_refused_with_what_to_do()
    {
        await RefusedAsync("mariadb", Baseline, Desired, json => json.Remove("source"), "has no 'source' model");
    }

    [Fact]
    public async Task A_newer_minor_format_with_unknown_fields_deploys()
    {
        await using var database = await TestDatabase.CreateAsync(DialectKind.MariaDb, "plan_minor");
        await database.RunAsync(Baseline);
        var json = JsonNode.Parse(PlanJson.Write(Plans.Between(DialectKind.MariaDb, Baseline, Desired)))!.AsObject();
        json["formatVersion"] = "1.7";
        json["somethingNew"] = new JsonObject { ["x"] = 1 };
        var result = Deploy(database, json);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Theory]
    [InlineData("mysql")]
    [InlineData("postgres")]
    public void Every_scenario_plan_read_back_from_plan_json_verifies(string dialect)
    {
        var failures = ScenarioFile.All(dialect).Select(row => ScenarioFile.Load(dialect, (string)row[0]))
            .Select(scenario =>
            {
                var plan = Plans.Between(scenario.Dialect, scenario.Baseline, scenario.Desired);
                try
                {
                    PlanVerifier.Verify(PlanFile.Read(new StringReader(PlanJson.Write(plan))));
                    return null;
                }
                catch (PlanMismatchException ex)
                {
                    return scenario.Name + ": " + ex.Message;
                }
            })
            .Where(f => f is not null)
            .ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static async Task RefusedAsync(string engine, string baseline, string desired, Action<JsonObject> edit, string expected)
    {
        var dialect = SampleSchemas.Dialect(engine);
        await using var database = await TestDatabase.CreateAsync(dialect, "plan_edit_" + engine);
        await database.RunAsync(baseline + "INSERT INTO victim (id) VALUES (1);\n");
        var json = JsonNode.Parse(PlanJson.Write(Plans.Between(dialect, baseline, desired)))!.AsObject();
        edit(json);
        var result = Deploy(database, json);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.Error);

        // Nothing ran: the schema is the baseline, victim keeps its row, no role was created, no control table was written.
        await using var session = await database.OpenAsync();
        var rows = await session.QueryAsync("SELECT COUNT(*) FROM victim", null, CancellationToken.None);
        Assert.Equal(1L, Convert.ToInt64(rows[0][0]));
        var live = await session.CreateIntrospector(State.StateTableNames.Default.All).IntrospectAsync(CancellationToken.None);
        ModelAssert.Same(Plans.Between(dialect, baseline, desired).Source, live, "a refused plan changed the schema");
        if (engine == "postgres")
        {
            Assert.Empty(await session.QueryAsync("SELECT 1 FROM pg_roles WHERE rolname = 'intruder'", null, CancellationToken.None));
        }
    }

    private static SchemaTool.Result Deploy(TestDatabase database, JsonObject plan)
    {
        var file = Path.Combine(Path.GetTempPath(), $"sb-plan-{Guid.NewGuid():n}.json");
        File.WriteAllText(file, plan.ToJsonString());
        try
        {
            return SchemaTool.Run("deploy", "--plan", file, "--connection", database.UrlText);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
