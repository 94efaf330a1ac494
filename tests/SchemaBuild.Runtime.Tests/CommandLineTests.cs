using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Serialization.Json;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Loading;
using SchemaBuild.Runtime.State;
using Xunit;

namespace SchemaBuild.Runtime.Tests;

/// <summary>
/// dotnet schema inspect / diff / deploy / status end to end against both servers, output
/// redirected as in CI: exit codes, dry run, drift, ghost-copy refusal, plan.json, inspect round
/// trip, and no password anywhere.
/// </summary>
public sealed class CommandLineTests
{
    public static TheoryData<string> Engines() => new() { "mariadb", "postgres" };

    private static string SampleFolder(string engine) => Path.Combine(SchemaTool.RepositoryRoot, "samples", "Shop", engine == "postgres" ? "Schema.postgres" : "Schema");

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Deploy_the_sample_then_status_inspect_and_diff_agree_and_no_password_is_printed_or_stored(string engine)
    {
        var dialect = SampleSchemas.Dialect(engine);
        await using var database = await TestDatabase.CreateAsync(dialect, "cli_sample_" + engine);
        var password = TestDatabase.Password(dialect);
        var url = database.UrlText;
        var outputs = new List<SchemaTool.Result>();

        var dry = SchemaTool.Run("deploy", "--schema", SampleFolder(engine), "--connection", url, "--dry-run");
        outputs.Add(dry);
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains("CREATE TABLE", dry.Output, StringComparison.Ordinal);
        Assert.Contains("nothing was executed", dry.Output, StringComparison.Ordinal);
        await using (var session = await database.OpenAsync())
        {
            Assert.False(await session.TableExistsAsync(StateTableNames.Default.Deployments, CancellationToken.None), "a dry run must not create the control tables");
        }

        // Through the environment variable, as release pipelines pass secrets.
        var deploy = SchemaTool.Run(new Dictionary<string, string> { ["SCHEMABUILD_CONNECTION"] = url, ["CI"] = "true" }, "deploy", "--schema", SampleFolder(engine));
        outputs.Add(deploy);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Contains("step 1", deploy.Error, StringComparison.Ordinal);

        var again = SchemaTool.Run("deploy", "--schema", SampleFolder(engine), "--connection", url);
        outputs.Add(again);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("nothing to do", again.Output, StringComparison.Ordinal);

        var status = SchemaTool.Run("status", "--connection", url, "--format", "json");
        outputs.Add(status);
        Assert.True(status.ExitCode == 0, status.ToString());
        var deployments = ((JsonArray)((JsonObject)JsonParser.Parse(status.Output))["deployments"]!).Items;
        Assert.Single(deployments);
        Assert.Equal("succeeded", ((JsonObject)deployments[0]).GetString("status"));
        outputs.Add(SchemaTool.Run("status", "--connection", url));

        var folder = Path.Combine(Path.GetTempPath(), "sb-inspect-" + Guid.NewGuid().ToString("N"));
        try
        {
            var inspect = SchemaTool.Run("inspect", "--connection", url, "--out", folder);
            outputs.Add(inspect);
            Assert.True(inspect.ExitCode == 0, inspect.ToString());
            var files = Directory.GetFiles(folder, "*.sql");
            await using var session = await database.OpenAsync();
            var live = await session.CreateIntrospector(StateTableNames.Default.All).IntrospectAsync(CancellationToken.None);
            Assert.True(files.Length >= live.Tables.Count, $"inspect wrote {files.Length} files for {live.Tables.Count} tables");
            var reparsed = SchemaLoader.Load(SqlDialects.For(dialect), SchemaFiles.FromDirectory(folder, folder));
            Assert.DoesNotContain(reparsed.Diagnostics, d => d.Severity == Core.Diagnostics.DiagnosticSeverity.Error);
            ModelAssert.Same(live, reparsed.Schema, "inspect's files do not parse back to the live model");

            var diff = SchemaTool.Run("diff", "--schema", folder, "--connection", url);
            outputs.Add(diff);
            Assert.True(diff.ExitCode == 0, diff.ToString());
            Assert.Contains("nothing to do", diff.Output, StringComparison.Ordinal);

            // No password in the control tables.
            foreach (var table in StateTableNames.Default.All)
            {
                var rows = await session.QueryAsync("SELECT * FROM " + session.Writer.QuoteIdentifier(table), null, CancellationToken.None);
                if (table != StateTableNames.Default.GhostCopies)
                {
                    // The sample has no ghost copy: that table stays empty.
                    Assert.NotEmpty(rows);
                }

                Assert.DoesNotContain(rows.SelectMany(r => r), cell => cell is string text && text.Contains(password, StringComparison.Ordinal));
            }
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        // A failing connection (wrong password) names the target without the secret.
        var wrong = url.Replace(password, "not-the-" + password + "-xyz", StringComparison.Ordinal);
        var refused = SchemaTool.Run("status", "--connection", wrong);
        outputs.Add(refused);
        Assert.Equal(4, refused.ExitCode);
        Assert.DoesNotContain("not-the-", refused.All, StringComparison.Ordinal);

        foreach (var output in outputs)
        {
            Assert.DoesNotContain(password, output.All, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Drift_exits_3_with_the_difference_and_allow_replan_deploys_against_the_live_schema(string engine)
    {
        var dialect = SampleSchemas.Dialect(engine);
        await using var database = await TestDatabase.CreateAsync(dialect, "cli_drift_" + engine);
        await database.RunAsync(SampleSchemas.Baseline(engine));
        var planFile = await WritePlanAsync(engine);
        try
        {
            // Someone changed production by hand.
            await database.RunAsync("ALTER TABLE customers ADD COLUMN hotfix_flag integer NULL");
            var drift = SchemaTool.Run("deploy", "--plan", planFile, "--connection", database.UrlText);
            Assert.True(drift.ExitCode == 3, drift.ToString());
            Assert.Contains("drift", drift.Error, StringComparison.Ordinal);
            Assert.Contains("hotfix_flag", drift.Error, StringComparison.Ordinal);
            Assert.DoesNotContain(TestDatabase.Password(dialect), drift.All, StringComparison.Ordinal);

            var replan = SchemaTool.Run("deploy", "--plan", planFile, "--connection", database.UrlText, "--allow-replan", "--format", "json");
            Assert.True(replan.ExitCode == 1, "dropping the drifted column is unsafe (SB1002): " + replan);

            await database.RunAsync("ALTER TABLE customers DROP COLUMN hotfix_flag");
            await database.RunAsync("ALTER TABLE customers ADD COLUMN nickname " + (engine == "postgres" ? "text" : "VARCHAR(50) NULL"));
            var replanned = SchemaTool.Run("deploy", "--plan", planFile, "--connection", database.UrlText, "--allow-replan", "--format", "json");
            Assert.True(replanned.ExitCode == 0, replanned.ToString());
            var result = (JsonObject)JsonParser.Parse(replanned.Output);
            Assert.True(result.GetBool("replanned"));
            Assert.Equal("deployed", result.GetString("outcome"));

            var upToDate = SchemaTool.Run("deploy", "--plan", planFile, "--connection", database.UrlText);
            Assert.True(upToDate.ExitCode == 0, upToDate.ToString());
            Assert.Contains("nothing to do", upToDate.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(planFile);
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_ghost_copy_step_deploys_online_through_the_tool_and_keeps_the_rows(string engine)
    {
        var dialect = SampleSchemas.Dialect(engine);
        var baseline = engine == "postgres"
            ? "CREATE TABLE items (id bigint PRIMARY KEY, qty integer NOT NULL);\n"
            : "CREATE TABLE items (id BIGINT NOT NULL PRIMARY KEY, qty INT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n";
        var desired = baseline.Replace(engine == "postgres" ? "qty integer" : "qty INT", engine == "postgres" ? "qty bigint" : "qty BIGINT", StringComparison.Ordinal);
        var plan = Plans.Between(dialect, baseline, desired);
        Assert.Contains(plan.Steps, s => s.Strategy == Core.Planning.Strategy.GhostCopy);
        await using var database = await TestDatabase.CreateAsync(dialect, "cli_ghost_" + engine);
        await database.RunAsync(baseline + "INSERT INTO items (id, qty) VALUES (1, 10), (2, 20), (3, 2147483647);\n");
        var planFile = Path.Combine(Path.GetTempPath(), $"sb-ghost-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(planFile, PlanJson.Write(plan));
        try
        {
            var deployed = SchemaTool.Run("deploy", "--plan", planFile, "--connection", database.UrlText, "--drop-old");
            Assert.True(deployed.ExitCode == 0, deployed.ToString());
            await using var session = await database.OpenAsync();
            ModelAssert.Same(plan.Target, await session.CreateIntrospector(StateTableNames.Default.All).IntrospectAsync(CancellationToken.None), "the ghost copy did not reach the target");
            var rows = await session.QueryAsync("SELECT SUM(qty), COUNT(*) FROM items", null, CancellationToken.None);
            Assert.Equal("2147483677/3", Convert.ToString(rows[0][0], System.Globalization.CultureInfo.InvariantCulture) + "/" + Convert.ToString(rows[0][1], System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            File.Delete(planFile);
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Control_tables_with_custom_names_are_quoted_and_left_out_of_deploy_diff_and_inspect(string engine)
    {
        var dialect = SampleSchemas.Dialect(engine);
        await using var database = await TestDatabase.CreateAsync(dialect, "cli_tables_" + engine);
        const string deployments = "sb`dep\"loys'; x";
        string[] tables = { "--deployments-table", deployments, "--steps-table", "sb steps" };
        string[] With(params string[] arguments) => arguments.Concat(tables).ToArray();

        var deploy = SchemaTool.Run(With("deploy", "--schema", SampleFolder(engine), "--connection", database.UrlText));
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        await using (var session = await database.OpenAsync())
        {
            Assert.True(await session.TableExistsAsync(deployments, CancellationToken.None), "the deployments table keeps its name, quotes and all");
            Assert.True(await session.TableExistsAsync("sb steps", CancellationToken.None));
            Assert.False(await session.TableExistsAsync(StateTableNames.Default.Deployments, CancellationToken.None));
        }

        // The control tables are not part of the live schema: nothing to do, nothing to drop.
        var again = SchemaTool.Run(With("deploy", "--schema", SampleFolder(engine), "--connection", database.UrlText));
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("nothing to do", again.Output, StringComparison.Ordinal);
        var diff = SchemaTool.Run(With("diff", "--schema", SampleFolder(engine), "--connection", database.UrlText));
        Assert.True(diff.ExitCode == 0, diff.ToString());
        Assert.Contains("nothing to do", diff.Output, StringComparison.Ordinal);
        var inspect = SchemaTool.Run(With("inspect", "--connection", database.UrlText));
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        Assert.DoesNotContain("sb steps", inspect.Output, StringComparison.Ordinal);

        var status = SchemaTool.Run(With("status", "--connection", database.UrlText, "--format", "json"));
        Assert.True(status.ExitCode == 0, status.ToString());
        var recorded = ((JsonArray)((JsonObject)JsonParser.Parse(status.Output))["deployments"]!).Items;
        Assert.Equal("succeeded", ((JsonObject)Assert.Single(recorded)).GetString("status"));
    }

    [Fact]
    public void Usage_errors_exit_2()
    {
        Assert.Equal(2, SchemaTool.Run("deploy", "--schema", SchemaTool.RepositoryRoot).ExitCode);
        var noUrl = SchemaTool.Run("status");
        Assert.Equal(2, noUrl.ExitCode);
        Assert.Contains("SCHEMABUILD_CONNECTION", noUrl.Error, StringComparison.Ordinal);
        Assert.Equal(2, SchemaTool.Run("status", "--connection", "oracle://x@y/z").ExitCode);
    }

    private static async Task<string> WritePlanAsync(string engine)
    {
        var plan = Plans.Between(SampleSchemas.Dialect(engine), SampleSchemas.Baseline(engine), SampleSchemas.Desired(engine));
        var path = Path.Combine(Path.GetTempPath(), $"sb-plan-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, PlanJson.Write(plan));
        return path;
    }
}
