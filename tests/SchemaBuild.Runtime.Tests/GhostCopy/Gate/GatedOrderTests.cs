using System;
using System.Linq;
using SchemaBuild.Core.Dialects;
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

        // Without --drop-old the first cutover keeps _items_old, which the second copy needs free: refused before anything runs.
        var kept = Assert.Throws<DeploymentRefusedException>(() => GatedOrder.Arrange(steps, oneGate: false, keepsOldTables: true));
        Assert.Contains("steps 1 and 3 both rebuild items", kept.Message, StringComparison.Ordinal);
        Assert.Contains("Deploy with --drop-old", kept.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sequence_privilege_and_enum_steps_that_build_on_a_column_a_copy_adds_run_after_the_cutover_on_postgres()
    {
        // items gains a column of enum type mood (ghost copy); the steps after it name that column, its table or its type.
        var mood = new EnumType(new QualifiedName("public", "mood"), EquatableList<string>.Of("ok", "sad"));
        var added = new Column("newcol", new DataType("mood") { TypeSchema = "public" });
        var items = new Table(new QualifiedName("public", "items")) { Columns = EquatableList<Column>.Of(new Column("id", new DataType("integer")), added) };
        var owned = new Sequence(new QualifiedName("public", "items_seq")) { OwnedBy = "public.items.newcol" };
        var steps = new[]
        {
            Copy(1, items) with { Changes = EquatableList<SchemaChange>.Of(new AddColumn(items, added, 2, null)) },
            Step(2, "alter-sequence", new AlterSequence(owned with { OwnedBy = null }, owned)),
            Step(3, "create-sequence", new CreateSequence(new Sequence(new QualifiedName("public", "other_seq")) { OwnedBy = "public.items.newcol" })),
            Step(4, "create-verbatim", new ChangeVerbatim(null, new VerbatimStatement("GRANT", "GRANT SELECT (newcol) ON public.items TO reporting"))),
            Step(5, "change-privileges", new ChangePrivileges(null, new ObjectPrivileges("TABLE", items.Name))),
            Step(6, "alter-enum", new AlterEnumType(mood, mood with { Labels = EquatableList<string>.Of("ok", "sad", "glad") })),
            Step(7, "create-sequence", new CreateSequence(new Sequence(new QualifiedName("public", "unrelated_seq")))),
            Copy(8, new Table(new QualifiedName("public", "stock"))),
        };

        var order = GatedOrder.Arrange(steps, oneGate: true);

        Assert.Equal(new[] { 7, 1, 8, 2, 3, 4, 5, 6 }, order.Steps.Select(s => s.Id));
        Assert.Equal(new[] { 1, 8 }, Assert.Single(order.Runs).Select(s => s.Id));
        foreach (var id in new[] { 2, 3, 4, 5, 6 })
        {
            Assert.Contains(order.Notes, n => n.StartsWith($"step {id} (", StringComparison.Ordinal) && n.Contains("runs after the cutover: it builds on step 1", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_column_grant_and_a_view_over_a_backquoted_name_with_a_space_run_after_the_copy_they_build_on_on_mariadb()
    {
        var orders = new Table(QualifiedName.Unqualified("order items"));
        var view = new View(QualifiedName.Unqualified("open orders"), "select `order items`.`id` AS `id` from `order items`");
        var steps = new[]
        {
            Copy(1, orders),
            Step(2, "create-verbatim", new ChangeVerbatim(null, new VerbatimStatement("grant", "GRANT SELECT (`qty`) ON `order items` TO 'reporting'@'%'"))),
            Step(3, "replace-view", new ReplaceView(view with { Definition = "select 1 AS `id`" }, view)),
            Copy(4, new Table(QualifiedName.Unqualified("stock"))),
        };

        var order = GatedOrder.Arrange(steps, oneGate: true);

        Assert.Equal(new[] { 1, 4, 2, 3 }, order.Steps.Select(s => s.Id));
    }

    [Fact]
    public void A_view_over_a_double_quoted_name_with_a_space_runs_after_the_copy_of_that_table_on_postgres()
    {
        var orders = new Table(new QualifiedName("public", "order items"));
        var view = new View(new QualifiedName("public", "open orders"), "SELECT \"order items\".id FROM public.\"order items\"");
        var steps = new[]
        {
            Copy(1, orders),
            Step(2, "create-view", new CreateView(view)),
            Copy(3, new Table(new QualifiedName("public", "items"))),
        };

        var order = GatedOrder.Arrange(steps, oneGate: true);

        Assert.Equal(new[] { 1, 3, 2 }, order.Steps.Select(s => s.Id));
        Assert.Contains(order.Notes, n => n.StartsWith("step 2 (", StringComparison.Ordinal) && n.Contains("builds on step 1", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DialectKind.Postgres)]
    [InlineData(DialectKind.MariaDb)]
    public void A_name_a_step_frees_and_a_later_copy_takes_is_freed_before_the_gate(DialectKind dialect)
    {
        // notes' index ix_tag is renamed away (a rename: after the cutover, left alone); the copy of stock creates an index ix_tag.
        var schema = dialect == DialectKind.Postgres ? "public" : null;
        var notes = new Table(new QualifiedName(schema, "notes"));
        var stock = new Table(new QualifiedName(schema, "stock"));
        var index = new Core.Model.Index("ix_tag", IndexKind.Regular, EquatableList<IndexKeyPart>.Empty);
        var steps = new[]
        {
            Copy(1, new Table(new QualifiedName(schema, "items"))),
            Step(2, "rename-index", new RenameTableElement(notes, TableElementKind.Index, "ix_tag", "ix_tag_old")),
            Copy(3, stock) with { Changes = EquatableList<SchemaChange>.Of(new AddIndex(stock, index)) },
        };

        var order = GatedOrder.Arrange(steps, oneGate: true);

        Assert.Equal(new[] { 2, 1, 3 }, order.Steps.Select(s => s.Id));
        Assert.Contains(order.Notes, n => n.StartsWith("step 2 (", StringComparison.Ordinal) && n.Contains("runs before the gate: step 3", StringComparison.Ordinal));
    }

    [Fact]
    public void Index_and_constraint_names_relate_steps_only_where_the_engine_keeps_them_unique_per_schema()
    {
        // Every MariaDB primary key is PRIMARY and an index name is the table's own: the primary key changed on tags between
        // two copies that change theirs relates to neither; a PostgreSQL index name is the schema's, so there it does.
        PlanStep PrimaryKeyChange(int id, Table table, Strategy strategy) =>
            Step(id, "change-primary-key", new ChangePrimaryKey(table, null, new PrimaryKey("PRIMARY", EquatableList<IndexKeyPart>.Empty))) with { Strategy = strategy };
        var orders = new Table(QualifiedName.Unqualified("orders"));
        var tags = new Table(QualifiedName.Unqualified("tags"));
        var payments = new Table(QualifiedName.Unqualified("payments"));
        var steps = new[] { PrimaryKeyChange(1, orders, Strategy.GhostCopy), PrimaryKeyChange(2, tags, Strategy.InPlace), PrimaryKeyChange(3, payments, Strategy.GhostCopy) };

        var order = GatedOrder.Arrange(steps, oneGate: true, EngineProfile.For(DialectKind.MariaDb));
        Assert.Equal(new[] { 1, 3 }, Assert.Single(order.Runs).Select(s => s.Id));
        Assert.DoesNotContain(order.Notes, n => n.StartsWith("step 2 (", StringComparison.Ordinal) && n.Contains("builds on", StringComparison.Ordinal));

        // The same names on PostgreSQL (or with the engine unknown) are one name: step 2 builds on step 1 and step 3 needs it.
        Assert.Throws<DeploymentRefusedException>(() => GatedOrder.Arrange(steps, oneGate: true, EngineProfile.For(DialectKind.Postgres)));
        Assert.Throws<DeploymentRefusedException>(() => GatedOrder.Arrange(steps, oneGate: true));
    }

    [Fact]
    public void Words_two_steps_only_mention_do_not_relate_them()
    {
        // Every table here has a column defaulting to now(), and the serial columns name nextval: nobody's name, so the new column of notes is an expand step before the gate.
        Table With(string name) => new(new QualifiedName("public", name))
        {
            Columns = EquatableList<Column>.Of(
                new Column("id", new DataType("integer")) { Default = new ColumnDefault(DefaultKind.Expression, $"nextval('public.{name}_id_seq'::regclass)") },
                new Column("at", new DataType("timestamp with time zone")) { Default = new ColumnDefault(DefaultKind.Expression, "now()") }),
        };
        var notes = With("notes");
        var steps = new[]
        {
            Copy(1, With("items")),
            Step(2, "add-column", new AddColumn(notes, new Column("seen", new DataType("timestamp with time zone")) { Default = new ColumnDefault(DefaultKind.Expression, "now()") }, 3, null)),
            Copy(3, With("stock")),
        };

        var order = GatedOrder.Arrange(steps, oneGate: true);

        Assert.Equal(new[] { 2, 1, 3 }, order.Steps.Select(s => s.Id));
        Assert.Contains(order.Notes, n => n.StartsWith("step 2 (", StringComparison.Ordinal) && n.Contains("runs before the gate: it only adds", StringComparison.Ordinal));
    }

    private static PlanStep Step(int id, string kind, SchemaChange change) =>
        new(id, change.ObjectName, kind, Strategy.Direct, EquatableList<string>.Of("-- " + kind)) { Table = change.TableName, Changes = EquatableList<SchemaChange>.Of(change) };

    private static PlanStep Copy(int id, Table table) =>
        new(id, table.Name.Name, "alter-column", Strategy.GhostCopy, EquatableList<string>.Of($"ALTER TABLE {table.Name.Name} ..."))
        {
            Table = table.Name,
            Changes = EquatableList<SchemaChange>.Of(new AlterColumn(table, new Column("qty", new DataType("int")), new Column("qty", new DataType("bigint")), ColumnAspects.Type)),
        };
}
