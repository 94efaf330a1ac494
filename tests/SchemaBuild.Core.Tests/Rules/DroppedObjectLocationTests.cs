using System.IO;
using System.Linq;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Core.Serialization;
using SchemaBuild.Core.Syntax;
using SchemaBuild.Core.Tests.Postgres;
using Xunit;

namespace SchemaBuild.Core.Tests.Rules;

/// <summary>A dropped table or schema is reported where the baseline wrote it (a folder's file, a git ref's file), not nowhere.</summary>
public sealed class DroppedObjectLocationTests
{
    [Fact]
    public void A_dropped_table_and_schema_point_at_their_baseline_file_and_line()
    {
        var baseline = PostgresTestSupport.Model("CREATE TABLE keep (id int);\nCREATE SCHEMA old;\n\nCREATE TABLE gone (id int);\n", "main:Schema/tables.sql");
        var desired = PostgresTestSupport.Model("CREATE TABLE keep (id int);\n");
        var plan = Planner.Create(baseline, desired, EngineProfile.For(DialectKind.Postgres));
        var table = plan.Diagnostics.Single(d => d.Id == "SB1001");
        Assert.Equal(("main:Schema/tables.sql", 4), (table.Span.File, table.Span.Line));
        var schema = plan.Diagnostics.Single(d => d.Id == "SB1004");
        Assert.Equal(("main:Schema/tables.sql", 2), (schema.Span.File, schema.Span.Line));
    }

    [Fact]
    public void A_baseline_snapshot_keeps_the_file_and_line_a_dropped_table_was_written_at()
    {
        var written = PostgresTestSupport.Model("CREATE TABLE keep (id int);\n\nCREATE TABLE gone (id int);\n", "Schema/tables.sql");
        var snapshot = BaselineSnapshot.Read(BaselineSnapshot.Write(written));
        Assert.Equal(("Schema/tables.sql", 3), (snapshot.FindTable(new QualifiedName("public", "gone"))!.Span.File, snapshot.FindTable(new QualifiedName("public", "gone"))!.Span.Line));
        var plan = Planner.Create(snapshot, PostgresTestSupport.Model("CREATE TABLE keep (id int);\n"), EngineProfile.For(DialectKind.Postgres));
        var dropped = plan.Diagnostics.Single(d => d.Id == "SB1001");
        Assert.Equal(("Schema/tables.sql", 3), (dropped.Span.File, dropped.Span.Line));
    }

    [Fact]
    public void Without_a_file_in_the_baseline_a_dropped_table_points_at_the_project_file()
    {
        var folder = Path.Combine(Path.GetTempPath(), "sb-dropped-" + System.Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            // A live database's model, as diff and deploy --schema take it: no file of its own.
            var snapshot = Path.Combine(folder, "live.json");
            File.WriteAllText(snapshot, BaselineSnapshot.Write(PostgresTestSupport.Model("CREATE TABLE keep (id int);\nCREATE TABLE gone (id int);\n", "live:app")));
            var request = new PlanRequest(DialectKind.Postgres, new[] { new SourceFile("Schema/keep.sql", "CREATE TABLE keep (id int);\n") }, folder) { Baseline = snapshot };

            var bare = PlanCompiler.Compile(request).Diagnostics.Single(d => d.Id == "SB1001");
            Assert.True(bare.Span.IsNone, "without a project nothing names a file: " + bare);

            var inProject = PlanCompiler.Compile(request with { ProjectFile = "App.csproj" }).Diagnostics.Single(d => d.Id == "SB1001");
            Assert.Equal(("App.csproj", 1), (inProject.Span.File, inProject.Span.Line));
            Assert.EndsWith("gone", inProject.Object, System.StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_table_dropped_from_a_live_database_has_no_file_to_point_at()
    {
        var live = PostgresTestSupport.Model("CREATE TABLE gone (id int);\n", "live:app");
        var plan = Planner.Create(live, PostgresTestSupport.Model(string.Empty), EngineProfile.For(DialectKind.Postgres));
        Assert.True(plan.Diagnostics.Single(d => d.Id == "SB1001").Span.IsNone);
    }
}
