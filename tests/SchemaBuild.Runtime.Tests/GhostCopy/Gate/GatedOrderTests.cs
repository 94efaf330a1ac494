using System;
using System.Linq;
using SchemaBuild.Core.Diff;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Runtime.Deployment;
using Xunit;

namespace SchemaBuild.Runtime.Tests.GhostCopy.Gate;

/// <summary>The order a deployment runs in so that all its ghost copies cut over together (no server: the planner's plans and hand-made steps).</summary>
public sealed class GatedOrderTests
{
    [Fact]
    public void Steps_between_two_copies_move_before_the_gate_or_after_the_cutover()
    {
        var plan = Plans.Between(DialectKind.MariaDb, TwoTables.MariaDbBaseline, TwoTables.MariaDbDesired);
        Assert.False(plan.HasErrors, string.Join("\n", plan.Diagnostics));
        Assert.False(Plans.Between(DialectKind.Postgres, TwoTables.PostgresBaseline, TwoTables.PostgresDesired).HasErrors);
        Assert.Equal(
            new[] { "alter-column items ghost-copy", "add-column notes.tag instant", "rename-column shelf.title instant", "add-index stock.ix_stock_name inplace", "alter-column stock ghost-copy" },
            plan.Steps.Select(s => $"{s.Change} {s.ObjectName} {StrategyNames.Of(s.Strategy)}"));

        var order = GatedOrder.Arrange(plan.Steps, oneGate: true);

        // The new column and the index the second copy builds on before the gate; the rename (old code still reads the old name) after the cutover.
        Assert.Equal(new[] { "notes.tag", "stock.ix_stock_name", "items", "stock", "shelf.title" }, order.Steps.Select(s => s.ObjectName));
        var run = Assert.Single(order.Runs);
        Assert.Equal(new[] { "items", "stock" }, run.Select(s => s.ObjectName));
        Assert.Contains(order.Notes, n => n.Contains("rename-column shelf.title", StringComparison.Ordinal) && n.Contains("after the cutover", StringComparison.Ordinal));
        Assert.Contains(order.Notes, n => n.Contains("add-index stock.ix_stock_name", StringComparison.Ordinal) && n.Contains("builds on it", StringComparison.Ordinal));
        Assert.Empty(PlanValidator.Validate(plan.Source, plan.Target, order.Steps));
    }

    [Fact]
    public void A_step_that_builds_on_one_copy_and_that_a_later_copy_needs_is_refused_with_the_reason()
    {
        var a = new Table(QualifiedName.Unqualified("parent"));
        var b = new Table(QualifiedName.Unqualified("child"));
        var key = new ForeignKey("fk_child_parent", EquatableList<string>.Of("parent_id"), a.Name, EquatableList<string>.Of("id"));
        var steps = new[]
        {
            Copy(1, a),
            new PlanStep(2, "child.fk_child_parent", "add-foreign-key", Strategy.Direct, EquatableList<string>.Of("ALTER TABLE child ADD CONSTRAINT ..."))
            {
                Table = b.Name, Changes = EquatableList<SchemaChange>.Of(new AddForeignKey(b, key)),
            },
            Copy(3, b),
        };

        var refused = Assert.Throws<DeploymentRefusedException>(() => GatedOrder.Arrange(steps, oneGate: false));
        Assert.Contains("step 2 (add-foreign-key child.fk_child_parent, direct) lies between two ghost copies and cannot move", refused.Message, StringComparison.Ordinal);
        Assert.Contains("builds on step 1", refused.Message, StringComparison.Ordinal);
        Assert.Contains("step 3 (alter-column child, ghost-copy) builds on it", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_table_rebuilt_twice_cuts_over_run_by_run_with_the_automatic_gate_and_is_refused_at_the_manual_gate()
    {
        var a = new Table(QualifiedName.Unqualified("items"));
        var steps = new[] { Copy(1, a), Copy(2, new Table(QualifiedName.Unqualified("stock"))), Copy(3, a) };

        var order = GatedOrder.Arrange(steps, oneGate: false);
        Assert.Equal(new[] { new[] { 1, 2 }, new[] { 3 } }, order.Runs.Select(r => r.Select(s => s.Id).ToArray()));
        Assert.Contains("steps 1 and 3 both rebuild items", Assert.Single(order.Notes), StringComparison.Ordinal);

        var refused = Assert.Throws<DeploymentRefusedException>(() => GatedOrder.Arrange(steps, oneGate: true));
        Assert.Contains("cannot cut over once at the manual gate", refused.Message, StringComparison.Ordinal);
    }

    private static PlanStep Copy(int id, Table table) =>
        new(id, table.Name.Name, "alter-column", Strategy.GhostCopy, EquatableList<string>.Of($"ALTER TABLE {table.Name.Name} ..."))
        {
            Table = table.Name,
            Changes = EquatableList<SchemaChange>.Of(new AlterColumn(table, new Column("qty", new DataType("int")), new Column("qty", new DataType("bigint")), ColumnAspects.Type)),
        };
}
