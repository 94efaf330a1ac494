using System;
using System.IO;
using System.Text.RegularExpressions;
using Xunit;

namespace SchemaBuild.Build.Tests;

/// <summary>
/// Real <c>dotnet build</c>s of new consumer projects that reference the packed SchemaBuild
/// package: plan files, failures on unsafe changes with located errors, acknowledgements,
/// incrementality, generated accessors and configuration errors.
/// </summary>
[Collection(PackedFeedCollection.Name)]
public sealed class BuildIntegrationTests
{
    private readonly PackedFeed feed;

    public BuildIntegrationTests(PackedFeed feed) => this.feed = feed;

    [Fact]
    public void CleanBuildWritesThePlanFiles()
    {
        using var project = new ConsumerProject(feed).Write("Schema/users.sql", Schemas.Users).Write("Schema/orders.sql", Schemas.Orders);

        var build = project.Build();

        Assert.True(build.ExitCode == 0, build.Output);
        foreach (var name in new[] { "plan.json", "plan.sql", "plan.md" })
        {
            Assert.True(File.Exists(Path.Combine(project.PlanDirectory, name)), $"{name} missing in {project.PlanDirectory}\n{build.Output}");
        }

        var json = File.ReadAllText(Path.Combine(project.PlanDirectory, "plan.json"));
        Assert.Contains("\"dialect\": \"mariadb\"", json);
        Assert.Contains("create-table", json);
        Assert.Contains("CREATE TABLE", File.ReadAllText(Path.Combine(project.PlanDirectory, "plan.sql")));
    }

    [Fact]
    public void UnsafeDropFailsTheBuildWithALocatedError()
    {
        using var project = UsersProjectWithBaseline(Schemas.UsersWithoutLegacyEmail);

        var build = project.Build();

        Assert.NotEqual(0, build.ExitCode);
        Assert.Matches(new Regex(@"Schema/users\.sql\(\d+,\d+\): error SB1002: "), build.Output);
        Assert.False(File.Exists(Path.Combine(project.PlanDirectory, "plan.json")), "a failed compile must not leave a plan behind");
    }

    [Fact]
    public void AcknowledgedDropBuilds()
    {
        using var project = UsersProjectWithBaseline(Schemas.UsersWithoutLegacyEmail + "\n-- schema:allow SB1002 users.legacy_email \"nobody reads it since 2025\"\n");

        var build = project.Build();

        Assert.True(build.ExitCode == 0, build.Output);
        Assert.DoesNotContain("error SB1002", build.Output);
        Assert.Contains("nobody reads it since 2025", File.ReadAllText(Path.Combine(project.PlanDirectory, "plan.json")));
    }

    [Fact]
    public void EditorConfigSeverityTurnsTheDropIntoAWarning()
    {
        using var project = UsersProjectWithBaseline(Schemas.UsersWithoutLegacyEmail)
            .Write(".editorconfig", "root = true\n\n[*.sql]\ndotnet_diagnostic.SB1002.severity = warning\n");

        var build = project.Build();

        Assert.True(build.ExitCode == 0, build.Output);
        Assert.Matches(new Regex(@"Schema/users\.sql\(\d+,\d+\): warning SB1002: "), build.Output);
    }

    [Fact]
    public void SecondBuildWithoutChangesSkipsThePlan()
    {
        using var project = new ConsumerProject(feed).Write("Schema/users.sql", Schemas.Users);
        Assert.True(project.Build() is { ExitCode: 0 });
        var written = File.GetLastWriteTimeUtc(Path.Combine(project.PlanDirectory, "plan.json"));

        var second = project.Build("-v:d");

        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("Skipping target \"SchemaBuildCompilePlan\" because all output files are up-to-date", second.Output);
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(project.PlanDirectory, "plan.json")));
    }

    [Fact]
    public void DeletingASchemaFileReplans()
    {
        using var project = new ConsumerProject(feed).Write("Schema/users.sql", Schemas.Users).Write("Schema/zz_audit.sql", "CREATE TABLE audit_log (id BIGINT NOT NULL PRIMARY KEY);");
        Assert.True(project.Build() is { ExitCode: 0 });
        Assert.Contains("audit_log", File.ReadAllText(Path.Combine(project.PlanDirectory, "plan.sql")));

        project.Delete("Schema/zz_audit.sql");
        var build = project.Build();

        Assert.True(build.ExitCode == 0, build.Output);
        Assert.DoesNotContain("audit_log", File.ReadAllText(Path.Combine(project.PlanDirectory, "plan.sql")));
    }

    [Fact]
    public void UsingADeprecatedColumnWarnsCs0618()
    {
        using var project = new ConsumerProject(feed).Write("Schema/users.sql", Schemas.UsersWithDeprecatedLegacyEmail).Write("UserQueries.cs", Schemas.UsesLegacyEmail);

        var build = project.Build();

        Assert.True(build.ExitCode == 0, build.Output);
        Assert.Matches(new Regex(@"UserQueries\.cs\(\d+,\d+\): warning CS0618: .*LegacyEmail.*use email; legacy_email goes away in 2027\.1"), build.Output);
    }

    [Fact]
    public void UsingARemovedColumnFailsToCompile()
    {
        using var project = new ConsumerProject(feed).Write("Schema/users.sql", Schemas.UsersWithoutLegacyEmail).Write("UserQueries.cs", Schemas.UsesLegacyEmail);

        var build = project.Build();

        Assert.NotEqual(0, build.ExitCode);
        Assert.Matches(new Regex(@"UserQueries\.cs\(\d+,\d+\): error CS0117: .*LegacyEmail"), build.Output);
    }

    [Fact]
    public void MissingDialectIsAClearError()
    {
        using var project = new ConsumerProject(feed, dialect: null).Write("Schema/users.sql", Schemas.Users);

        var build = project.Build();

        Assert.NotEqual(0, build.ExitCode);
        Assert.Matches(new Regex(@"error SB0008: SchemaDialect is not set.*mysql.*mariadb.*postgres"), build.Output);
    }

    [Fact]
    public void UnknownGitRefIsAClearError()
    {
        using var project = new ConsumerProject(feed, extraProperties: "<SchemaBaseline>git:no-such-ref</SchemaBaseline>").Write("Schema/users.sql", Schemas.Users);

        var build = project.Build();

        Assert.NotEqual(0, build.ExitCode);
        Assert.Matches(new Regex(@"error SB0006: baseline git:no-such-ref: "), build.Output);
    }

    [Fact]
    public void AnalyzerReportsTheSameDiagnosticInTheCompiler()
    {
        // What the IDE shows: the analyzer on, fed the same files and baseline through AdditionalFiles.
        using var project = UsersProjectWithBaseline(Schemas.UsersWithoutLegacyEmail);

        var build = project.Build("-p:SchemaBuildAnalyzerDiagnostics=true");

        Assert.NotEqual(0, build.ExitCode);
        // The compiler prints the AdditionalFile's full path; the task prints it relative to the project.
        Assert.Matches(new Regex(Regex.Escape(project.Root) + @"/Schema/users\.sql\(\d+,\d+\): error SB1002: "), build.Output);
    }

    private ConsumerProject UsersProjectWithBaseline(string desiredUsers) =>
        new ConsumerProject(feed, extraProperties: "<SchemaBaseline>Baseline</SchemaBaseline>")
            .Write("Baseline/users.sql", Schemas.Users)
            .Write("Schema/users.sql", desiredUsers);
}
