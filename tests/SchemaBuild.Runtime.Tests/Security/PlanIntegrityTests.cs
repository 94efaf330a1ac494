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

    // Dropping victim is an unacknowledged error: the plan is refused as unsafe unless its diagnostics are edited.
    private const string DesiredWithoutVictim = "CREATE TABLE users (id int PRIMARY KEY, email varchar(100) NOT NULL);\n";

    [Theory]
    [InlineData("mariadb")]
    [InlineData("postgres")]
    public async Task An_error_diagnostic_removed_from_the_plan_is_refused_and_nothing_runs(string engine)
    {
        var error = FirstError(engine);
        await RefusedAsync(engine, Baseline, DesiredWithoutVictim, json =>
        {
            var diagnostics = (JsonArray)json["diagnostics"]!;
            diagnostics.Remove(diagnostics.First(d => (string?)d!["id"] == error.Id && (string?)d["severity"] == "error"));
        }, $"diagnostic {error.Id} (error) on {error.Object} is missing");
    }

    [Fact]
    public async Task An_error_diagnostic_marked_acknowledged_is_refused()
    {
        var error = FirstError("mariadb");
        await RefusedAsync("mariadb", Baseline, DesiredWithoutVictim, json => ErrorNode(json, error.Id)["acknowledged"] = true,
            $"diagnostic {error.Id} on {error.Object} is error, acknowledged, expected error, not acknowledged");
    }

    [Fact]
    public async Task An_error_diagnostic_downgraded_to_a_warning_is_refused()
    {
        var error = FirstError("postgres");
        await RefusedAsync("postgres", Baseline, DesiredWithoutVictim, json => ErrorNode(json, error.Id)["severity"] = "warning",
            $"diagnostic {error.Id} on {error.Object} is warning, not acknowledged, expected error, not acknowledged");
    }

    [Fact]
    public void A_plan_compiled_with_severity_overrides_verifies_with_them()
    {
        var source = Plans.Between(DialectKind.MariaDb, Baseline, DesiredWithoutVictim);
        var error = source.Diagnostics.First(d => d.Severity == Core.Diagnostics.DiagnosticSeverity.Error);
        var overrides = Core.Rules.SeverityOverrides.Parse(error.Id + "=warning");
        var plan = Core.Planning.Planner.Create(source.Source, source.Target, source.Engine, overrides);
        Assert.False(plan.HasErrors);
        var text = PlanJson.Write(plan);
        Assert.Contains($"\"severities\": \"{error.Id}=warning\"", text);

        var verified = PlanVerifier.Verify(PlanFile.Read(new StringReader(text)));
        Assert.Equal(plan.Steps.Select(s => s.Sql), verified.Steps.Select(s => s.Sql));

        // Without the overrides the same diagnostics are an edit: the error was downgraded.
        var edited = JsonNode.Parse(text)!.AsObject();
        edited.Remove("severities");
        var ex = Assert.Throws<PlanMismatchException>(() => PlanVerifier.Verify(PlanFile.Read(new StringReader(edited.ToJsonString()))));
        Assert.Contains($"diagnostic {error.Id} on {error.Object} is warning", ex.Message);
    }

    private static Core.Diagnostics.Diagnostic FirstError(string engine)
    {
        var plan = Plans.Between(SampleSchemas.Dialect(engine), Baseline, DesiredWithoutVictim);
        Assert.True(plan.HasErrors, "dropping a table with rows is an error the plan must carry");
        return plan.Diagnostics.First(d => d.Severity == Core.Diagnostics.DiagnosticSeverity.Error && !d.Acknowledged);
    }

    private static JsonObject ErrorNode(JsonObject json, string id) =>
        ((JsonArray)json["diagnostics"]!).Select(d => d!.AsObject()).First(d => (string?)d["id"] == id && (string?)d["severity"] == "error");

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
