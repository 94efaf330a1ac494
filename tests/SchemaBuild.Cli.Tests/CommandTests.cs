using System.IO;
using System.Linq;
using SchemaBuild.Core.Serialization.Json;
using Xunit;

namespace SchemaBuild.Cli.Tests;

/// <summary>The dotnet schema commands end to end: exit codes, formats, files written, messages.</summary>
public sealed class CommandTests
{
    private const string Users = "CREATE TABLE users (\n  id BIGINT NOT NULL PRIMARY KEY,\n  email VARCHAR(100) NOT NULL,\n  name VARCHAR(50) NULL\n);\n";
    private const string UsersWithoutName = "CREATE TABLE users (\n  id BIGINT NOT NULL PRIMARY KEY,\n  email VARCHAR(100) NOT NULL\n);\n";

    [Fact]
    public void Help_lists_every_command()
    {
        var result = SchemaTool.Run(Path.GetTempPath(), "--help");
        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "plan", "lint", "baseline", "show" })
        {
            Assert.Contains(command, result.Output);
        }
    }

    [Fact]
    public void Plan_help_describes_its_options()
    {
        var result = SchemaTool.Run(Path.GetTempPath(), "plan", "--help");
        Assert.Equal(0, result.ExitCode);
        foreach (var option in new[] { "--schema", "--dialect", "--server-version", "--baseline", "--format", "--out", "--severity" })
        {
            Assert.Contains(option, result.Output);
        }
    }

    [Fact]
    public void A_missing_required_option_is_a_usage_error()
    {
        var result = SchemaTool.Run(Path.GetTempPath(), "plan", "--dialect", "mariadb");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--schema", result.Error);
    }

    [Fact]
    public void An_unknown_dialect_is_a_usage_error_that_lists_the_choices()
    {
        using var project = new TempProject().Write("Schema/users.sql", Users);
        var result = SchemaTool.Run(project.Root, "plan", "--schema", "Schema", "--dialect", "oracle");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("mysql, mariadb or postgres", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public void A_missing_schema_folder_is_a_usage_error()
    {
        var result = SchemaTool.Run(Path.GetTempPath(), "lint", "--schema", "no-such-folder-here", "--dialect", "postgres");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("does not exist", result.Error);
    }

    [Fact]
    public void An_initial_plan_creates_the_tables_and_exits_zero()
    {
        using var project = new TempProject().Write("Schema/users.sql", Users);
        var result = SchemaTool.Run(project.Root, "plan", "--schema", "Schema", "--dialect", "mariadb", "--format", "sql");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("CREATE TABLE `users`", result.Output);
        Assert.Contains("-- step 1: create-table users [direct", result.Output);
    }

    [Fact]
    public void An_unsafe_change_exits_one_with_a_located_error()
    {
        using var project = new TempProject().Write("Schema/users.sql", UsersWithoutName).Write("base/users.sql", Users);
        var result = SchemaTool.Run(project.Root, "plan", "--schema", "Schema", "--dialect", "mariadb", "--baseline", "base");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Schema/users.sql(1,14): error SB1002: column users.name is dropped", result.Error);
    }

    [Fact]
    public void An_acknowledged_change_exits_zero_and_the_plan_records_the_reason()
    {
        using var project = new TempProject()
            .Write("Schema/users.sql", UsersWithoutName + "-- schema:allow SB1002 users.name \"moved to profiles\"\n")
            .Write("base/users.sql", Users);
        var result = SchemaTool.Run(project.Root, "plan", "--schema", "Schema", "--dialect", "mariadb", "--baseline", "base", "--format", "json");
        Assert.Equal(0, result.ExitCode);
        var plan = (JsonObject)JsonParser.Parse(result.Output);
        var diagnostic = ((JsonArray)plan["diagnostics"]!).Items.Cast<JsonObject>().Single(d => d.GetString("id") == "SB1002");
        Assert.True(diagnostic.GetBool("acknowledged"));
        Assert.Equal("moved to profiles", diagnostic.GetString("reason"));
        Assert.Equal(1, plan.GetNumber("formatVersion"));
        Assert.StartsWith("sha256:", plan.GetString("sourceFingerprint"));
    }

    [Fact]
    public void Severity_can_be_overridden_on_the_command_line_and_in_editorconfig()
    {
        using var project = new TempProject().Write("Schema/users.sql", UsersWithoutName).Write("base/users.sql", Users);
        var fromOption = SchemaTool.Run(project.Root, "lint", "--schema", "Schema", "--dialect", "mariadb", "--baseline", "base", "--severity", "SB1002=warning");
        Assert.Equal(0, fromOption.ExitCode);
        Assert.Contains("warning SB1002", fromOption.Output);

        project.Write(".editorconfig", "root = true\n[*.sql]\ndotnet_diagnostic.SB1002.severity = warning\n");
        var fromEditorConfig = SchemaTool.Run(project.Root, "lint", "--schema", "Schema", "--dialect", "mariadb", "--baseline", "base");
        Assert.Equal(0, fromEditorConfig.ExitCode);
        Assert.Contains("warning SB1002", fromEditorConfig.Output);
    }

    [Fact]
    public void Lint_github_format_writes_workflow_annotations()
    {
        using var project = new TempProject().Write("Schema/users.sql", UsersWithoutName).Write("base/users.sql", Users);
        var result = SchemaTool.Run(project.Root, "lint", "--schema", "Schema", "--dialect", "mariadb", "--baseline", "base", "--format", "github");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("::error file=Schema/users.sql,line=1,col=14,title=SB1002 users.name::", result.Output);
    }

    [Fact]
    public void Lint_sarif_format_is_valid_sarif_with_locations()
    {
        using var project = new TempProject().Write("Schema/bad.sql", "CREATE TABLE t (\n  id INT NOT NULL PRIMARY KEY,\n  x INT NOT NULL DEFAULT\n);\n");
        var result = SchemaTool.Run(project.Root, "lint", "--schema", "Schema", "--dialect", "mysql", "--format", "sarif");
        Assert.Equal(1, result.ExitCode);
        var sarif = (JsonObject)JsonParser.Parse(result.Output);
        Assert.Equal("2.1.0", sarif.GetString("version"));
        var run = (JsonObject)((JsonArray)sarif["runs"]!).Items[0];
        var first = (JsonObject)((JsonArray)run["results"]!).Items[0];
        Assert.Equal("SB0001", first.GetString("ruleId"));
        Assert.Contains("Schema/bad.sql", result.Output);
    }

    [Fact]
    public void A_baseline_snapshot_round_trips_to_an_empty_plan()
    {
        using var project = new TempProject().Write("Schema/users.sql", Users);
        var written = SchemaTool.Run(project.Root, "baseline", "--schema", "Schema", "--dialect", "postgres", "--out", "schema.baseline.json");
        Assert.Equal(0, written.ExitCode);
        Assert.True(File.Exists(Path.Combine(project.Root, "schema.baseline.json")));

        var plan = SchemaTool.Run(project.Root, "plan", "--schema", "Schema", "--dialect", "postgres", "--baseline", "schema.baseline.json");
        Assert.Equal(0, plan.ExitCode);
        Assert.Contains("0 step(s)", plan.Output);
    }

    [Fact]
    public void A_baseline_of_another_dialect_is_reported_as_SB0006()
    {
        using var project = new TempProject().Write("Schema/users.sql", Users);
        Assert.Equal(0, SchemaTool.Run(project.Root, "baseline", "--schema", "Schema", "--dialect", "postgres", "--out", "pg.json").ExitCode);
        var plan = SchemaTool.Run(project.Root, "plan", "--schema", "Schema", "--dialect", "mariadb", "--baseline", "pg.json");
        Assert.Equal(1, plan.ExitCode);
        Assert.Contains("SB0006", plan.Error);
        Assert.Contains("postgres schema but the project's dialect is mariadb", plan.Error);
    }

    [Fact]
    public void Plan_writes_markdown_to_a_file()
    {
        using var project = new TempProject().Write("Schema/users.sql", Users);
        var result = SchemaTool.Run(project.Root, "plan", "--schema", "Schema", "--dialect", "mariadb", "--format", "markdown", "--out", "out/plan.md");
        Assert.Equal(0, result.ExitCode);
        var markdown = File.ReadAllText(Path.Combine(project.Root, "out", "plan.md"));
        Assert.Contains("| 1 | create-table | `users` | direct |", markdown);
    }
}
