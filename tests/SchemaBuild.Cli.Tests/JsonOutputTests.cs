using System.IO;
using System.Linq;
using SchemaBuild.Core.Serialization.Json;
using Xunit;

namespace SchemaBuild.Cli.Tests;

/// <summary>--format json always prints a JSON document on standard output, with the exit code unchanged.</summary>
public sealed class JsonOutputTests
{
    private const string Broken = "CREATE TABLE t (id BIGINT NOT NULL PRIMARY KEY,, );\n";

    [Fact]
    public void Plan_with_a_syntax_error_prints_the_diagnostics_as_json()
    {
        using var project = new TempProject().Write("Schema/t.sql", Broken);
        var result = SchemaTool.Run(project.Root, "plan", "--schema", "Schema", "--dialect", "mariadb", "--format", "json");
        Assert.Equal(1, result.ExitCode);
        var document = (JsonObject)JsonParser.Parse(result.Output);
        var diagnostics = (JsonArray)document["diagnostics"]!;
        Assert.Contains(diagnostics.Items, d => ((JsonObject)d)["id"] is JsonString { Value: "SB0001" });
    }

    [Fact]
    public void Lint_with_a_syntax_error_prints_the_diagnostics_as_json()
    {
        using var project = new TempProject().Write("Schema/t.sql", Broken);
        var result = SchemaTool.Run(project.Root, "lint", "--schema", "Schema", "--dialect", "mariadb", "--format", "json");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(((JsonArray)JsonParser.Parse(result.Output)).Items, d => ((JsonObject)d)["id"] is JsonString { Value: "SB0001" });
    }

    [Fact]
    public void A_usage_error_with_format_json_prints_a_json_document_and_exits_2()
    {
        var result = SchemaTool.Run(Path.GetTempPath(), "plan", "--schema", "/no/such/folder", "--dialect", "mariadb", "--format", "json");
        Assert.Equal(2, result.ExitCode);
        var document = (JsonObject)JsonParser.Parse(result.Output);
        Assert.Contains("does not exist", ((JsonString)document["error"]!).Value);
        Assert.Equal("2", ((JsonNumber)document["exitCode"]!).Text);
    }

    [Fact]
    public void A_missing_git_ref_for_the_baseline_is_a_usage_error()
    {
        using var project = new TempProject().Write("Schema/t.sql", "CREATE TABLE t (id BIGINT NOT NULL PRIMARY KEY);\n");
        Assert.Equal(0, SchemaBuild.Tests.Shared.CommandLine.Run("git", new[] { "init", "-q", project.Root }).ExitCode);
        var result = SchemaTool.Run(project.Root, "plan", "--schema", "Schema", "--dialect", "mariadb", "--baseline", "git:no-such-ref");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--baseline: baseline git:no-such-ref", result.Error);
    }

    [Theory]
    [InlineData("mariadb", "mariadb")]
    [InlineData("postgres", "postgres")]
    public void A_deploy_that_stops_on_an_unsafe_plan_prints_json_with_the_reason(string engine, string dialect)
    {
        using var project = new TempProject().Write("Schema/t.sql", Broken);
        var result = SchemaTool.Run(project.Root, "deploy", "--schema", "Schema", "--dialect", dialect, "--connection", TestServers.Url(engine), "--format", "json");
        Assert.Equal(1, result.ExitCode);
        var document = (JsonObject)JsonParser.Parse(result.Output);
        Assert.Contains("nothing was deployed", ((JsonString)document["error"]!).Value);
        Assert.Contains(((JsonArray)document["diagnostics"]!).Items, d => ((JsonObject)d)["id"] is JsonString { Value: "SB0001" });
    }
}

/// <summary>--format json for a deploy that ran and failed at a step: still one JSON document, exit code unchanged.</summary>
public sealed class FailedDeployJsonTests
{
    [Fact]
    public void A_deploy_that_fails_at_a_step_prints_json_with_the_reason()
    {
        var database = "sbcli_failed_" + System.Guid.NewGuid().ToString("N").Substring(0, 8);
        Psql(TestServers.Url("postgres"), "CREATE DATABASE " + database);
        try
        {
            var url = TestServers.Variant("postgres", database: database);
            // Duplicate values: the unique index the schema asks for cannot be built.
            Psql(url, "CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 1), (2, 1);");
            using var project = new TempProject().Write("Schema/t.sql", "CREATE TABLE t (id int PRIMARY KEY, v int);\nCREATE UNIQUE INDEX t_v ON t (v);\n");
            var result = SchemaTool.Run(project.Root, "deploy", "--schema", "Schema", "--dialect", "postgres", "--connection", url, "--format", "json");
            Assert.NotEqual(0, result.ExitCode);
            var document = (JsonObject)JsonParser.Parse(result.Output);
            Assert.Contains("t_v", ((JsonString)document["error"]!).Value);
            Assert.Equal(result.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture), ((JsonNumber)document["exitCode"]!).Text);
        }
        finally
        {
            Psql(TestServers.Url("postgres"), "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private static void Psql(string url, string sql) =>
        SchemaBuild.Tests.Shared.CommandLine.RunChecked("psql", new[] { url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql });
}
