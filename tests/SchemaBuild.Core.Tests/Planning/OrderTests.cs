using System.Linq;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using Xunit;

namespace SchemaBuild.Core.Tests.Planning;

/// <summary>Ordering edge cases: impossible orders are errors that name the cycle; long chains stay linear.</summary>
public sealed class OrderTests
{
    [Fact]
    public void Views_that_depend_on_each_other_are_an_error_naming_the_cycle()
    {
        var dialect = SqlDialects.For(DialectKind.MariaDb);
        var desired = ScenarioTests.Load(dialect, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY);\nCREATE VIEW a AS SELECT id FROM b;\nCREATE VIEW b AS SELECT id FROM a;", "desired.sql");
        var plan = Planner.Create(new Schema(DialectKind.MariaDb), desired, EngineProfile.For(DialectKind.MariaDb));
        Assert.True(plan.HasErrors);
        Assert.Contains(plan.Diagnostics, d => d.Message.Contains("a -> b -> a") || d.Message.Contains("b -> a -> b"));
    }

    [Fact]
    public void A_long_chain_of_references_is_ordered_without_deep_recursion()
    {
        var items = Enumerable.Range(0, 50_000).Select(i => "t" + i).Reverse().ToList();
        var sorted = DependencyOrder.Sort(items, n => n, n => n == "t0" ? Enumerable.Empty<string>() : new[] { "t" + (int.Parse(n.Substring(1)) - 1) });
        Assert.Equal("t0", sorted[0]);
        Assert.Equal("t49999", sorted[^1]);
    }

    [Fact]
    public void Dropping_tables_that_reference_each_other_is_not_an_order_error()
    {
        var dialect = SqlDialects.For(DialectKind.Postgres);
        var baseline = ScenarioTests.Load(dialect,
            "CREATE TABLE a (id int PRIMARY KEY, b_id int);\nCREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id));\nALTER TABLE a ADD CONSTRAINT a_b FOREIGN KEY (b_id) REFERENCES b (id);", "baseline.sql");
        var plan = Planner.Create(baseline, new Schema(DialectKind.Postgres), EngineProfile.For(DialectKind.Postgres));
        Assert.DoesNotContain(plan.Diagnostics, d => d.Message.Contains("cycle"));
        Assert.Equal(2, plan.Steps.Count(s => s.Change == "drop-table"));
    }
}
