using System.IO;
using System.Linq;
using Xunit;

namespace SchemaBuild.Cli.Tests;

/// <summary>
/// <c>dotnet schema</c> inside a schema project reads the project as <c>dotnet build</c> does: dialect,
/// baseline, severities and schema files come from MSBuild's evaluation, so a CI step cannot pass
/// where the build fails.
/// </summary>
public sealed class ProjectInputTests
{
    private const string UsersV1 = "CREATE TABLE users (\n  id bigint PRIMARY KEY,\n  email text NOT NULL\n);\n";
    private const string UsersV2 = "CREATE TABLE users (\n  id bigint PRIMARY KEY,\n  nickname text NOT NULL\n);\n";

    [Fact]
    public void Without_arguments_plan_and_lint_report_what_dotnet_build_reports()
    {
        using var project = new SchemaProjectFolder("postgres", "<SchemaSeverity>SB6001=error</SchemaSeverity>").Write("Schema/users.sql", UsersV1);
        Assert.Equal(0, SchemaTool.Run(project.Root, "baseline", "-o", "schema.baseline.json").ExitCode);
        project.Write("Schema/users.sql", UsersV2).Write("Schema/audit.sql", "CREATE TABLE audit (at timestamptz NOT NULL);\n");

        var build = project.Build();
        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains(build.Diagnostics, line => line.Contains("error SB1002"));
        Assert.Contains(build.Diagnostics, line => line.Contains("error SB2003"));
        // The project's SchemaSeverity turns SB6001 into an error: the CLI must apply it too.
        Assert.Contains(build.Diagnostics, line => line.Contains("error SB6001"));

        var plan = SchemaTool.Run(project.Root, "plan");
        Assert.Equal(1, plan.ExitCode);
        var planned = SchemaProjectFolder.DiagnosticLines(plan.Error).Where(line => !line.Contains(" info ")).ToArray();
        Assert.Equal(build.Diagnostics.OrderBy(l => l), planned.OrderBy(l => l));

        var lint = SchemaTool.Run(project.Root, "lint");
        Assert.Equal(1, lint.ExitCode);
        Assert.Equal(build.Diagnostics.OrderBy(l => l), SchemaProjectFolder.DiagnosticLines(lint.Output).Where(line => !line.Contains(" info ")).OrderBy(l => l));
    }

    [Fact]
    public void Project_option_names_a_project_elsewhere_and_the_command_line_wins_over_its_settings()
    {
        using var project = new SchemaProjectFolder("mariadb", "<SchemaBaseline>missing.baseline.json</SchemaBaseline>")
            .Write("Schema/users.sql", "CREATE TABLE users (id BIGINT NOT NULL PRIMARY KEY);\n");
        var fromElsewhere = SchemaTool.Run(Path.GetTempPath(), "plan", "-p", Path.Combine(project.Root, "App.csproj"));
        Assert.Equal(1, fromElsewhere.ExitCode);
        Assert.Contains("SB0006", fromElsewhere.Error);

        var output = Path.Combine(project.Root, "out", "plan.json");
        var overridden = SchemaTool.Run(Path.GetTempPath(), "plan", "--project", project.Root, "--baseline", Path.Combine(project.Root, "Schema"), "--format", "json", "-o", output);
        Assert.Equal(0, overridden.ExitCode);
        Assert.Contains("\"dialect\": \"mariadb\"", File.ReadAllText(output));
        Assert.Contains("\"steps\": []", File.ReadAllText(output));
    }

    [Fact]
    public void A_dropped_table_points_at_its_baseline_file_or_else_the_project_file_in_sarif_and_github()
    {
        using var project = new SchemaProjectFolder("postgres", "<SchemaBaseline>schema.baseline.json</SchemaBaseline>")
            .Write("Schema/users.sql", UsersV1)
            .Write("Schema/legacy.sql", "-- kept for the old reports\n\nCREATE TABLE legacy (id bigint PRIMARY KEY);\n");
        Assert.Equal(0, SchemaTool.Run(project.Root, "baseline", "-o", "schema.baseline.json").ExitCode);
        File.Delete(Path.Combine(project.Root, "Schema", "legacy.sql"));

        // The snapshot keeps where the table was written.
        var sarif = SchemaTool.Run(project.Root, "lint", "--format", "sarif");
        Assert.Equal(1, sarif.ExitCode);
        var result = SarifResult(sarif.Output, "SB1001");
        Assert.Contains("\"uri\": \"Schema/legacy.sql\"", result);
        Assert.Contains("\"startLine\": 3", result);

        // A snapshot without locations (written by an older SchemaBuild, or from a live database): the project file.
        var snapshot = Path.Combine(project.Root, "schema.baseline.json");
        File.WriteAllText(snapshot, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(snapshot), ",\\s*\"span\": \\{[^}]*\\}", string.Empty));
        Assert.DoesNotContain("legacy.sql", File.ReadAllText(snapshot));
        var github = SchemaTool.Run(project.Root, "lint", "--format", "github");
        Assert.Equal(1, github.ExitCode);
        Assert.Contains(github.Output.Split('\n'), line => line.StartsWith("::error file=App.csproj,line=1,", System.StringComparison.Ordinal) && line.Contains("SB1001"));
        Assert.Contains("\"uri\": \"App.csproj\"", SarifResult(SchemaTool.Run(project.Root, "lint", "--format", "sarif").Output, "SB1001"));
    }

    /// <summary>The SARIF result object of one rule, as text.</summary>
    private static string SarifResult(string sarif, string ruleId)
    {
        var start = sarif.IndexOf($"\"ruleId\": \"{ruleId}\"", System.StringComparison.Ordinal);
        Assert.True(start >= 0, $"no {ruleId} result in:\n{sarif}");
        var end = sarif.IndexOf("\"ruleId\"", start + 10, System.StringComparison.Ordinal);
        return end < 0 ? sarif.Substring(start) : sarif.Substring(start, end - start);
    }

    [Fact]
    public void A_project_without_a_dialect_fails_as_the_build_does()
    {
        using var project = new SchemaProjectFolder(string.Empty).Write("Schema/users.sql", UsersV1);
        var result = SchemaTool.Run(project.Root, "lint");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("SB0008", result.Error);
        Assert.Contains("add <SchemaDialect>", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public void A_folder_without_a_project_asks_for_one()
    {
        using var folder = new TempProject();
        var result = SchemaTool.Run(folder.Root, "plan");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no project file", result.Error);
        Assert.Contains("--project", result.Error);
    }

    [Fact]
    public void Version_prints_the_tool_version()
    {
        var result = SchemaTool.Run(Path.GetTempPath(), "--version");
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Output.Trim());
    }
}
