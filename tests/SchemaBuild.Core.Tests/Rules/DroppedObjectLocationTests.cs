using System.Linq;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
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
    public void A_table_dropped_from_a_live_database_has_no_file_to_point_at()
    {
        var live = PostgresTestSupport.Model("CREATE TABLE gone (id int);\n", "live:app");
        var plan = Planner.Create(live, PostgresTestSupport.Model(string.Empty), EngineProfile.For(DialectKind.Postgres));
        Assert.True(plan.Diagnostics.Single(d => d.Id == "SB1001").Span.IsNone);
    }
}
