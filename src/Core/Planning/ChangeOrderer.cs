using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using SchemaBuild.Core.Diff;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Planning;

/// <summary>
/// Puts changes in dependency order: phases (see <see cref="PlanPhase"/>), and within a phase,
/// referenced tables before referencing ones and view sources before views. Foreign keys between
/// new tables that would form a cycle are split off and added after all the tables exist.
/// </summary>
public static class ChangeOrderer
{
    public static IReadOnlyList<OrderedChange> Order(ChangeSet changeSet)
    {
        var changes = SplitCyclicForeignKeys(changeSet.Changes.ToList());
        var replacedIndexes = ReplacedNames(changes);
        var relations = new HashSet<string>(changeSet.To.Tables.Select(t => t.Name.Name).Concat(changeSet.To.Views.Select(v => v.Name.Name)), StringComparer.OrdinalIgnoreCase);
        var ordered = new List<OrderedChange>();
        foreach (var phase in (PlanPhase[])Enum.GetValues(typeof(PlanPhase)))
        {
            var inPhase = changes.Where(c => (c is ChangeVerbatim v ? PhaseOf(v, relations) : PhaseOf(c, replacedIndexes)) == phase).ToList();
            ordered.AddRange(SortWithinPhase(phase, inPhase).Select(c => new OrderedChange(phase, c)));
        }

        return ordered;
    }

    private static PlanPhase PhaseOf(SchemaChange change, HashSet<string> replaced) => change switch
    {
        CreateNamespace or CreateExtension => PlanPhase.Namespaces,
        CreateEnumType or AlterEnumType or CreateSequence or AlterSequence or AlterNamespace => PlanPhase.Types,
        DropForeignKey or DropView => PlanPhase.Relax,
        DropCheck drop when !replaced.Contains(Key(drop.Table, drop.Check.Name)) => PlanPhase.Relax,
        CreateTable => PlanPhase.CreateTables,
        AddForeignKey => PlanPhase.ForeignKeys,
        CreateView or ReplaceView => PlanPhase.Views,
        DropIndex drop when !replaced.Contains(Key(drop.Table, drop.Index.Name)) => PlanPhase.Contract,
        DropColumn or DropTable => PlanPhase.Contract,
        DropSequence or DropEnumType => PlanPhase.DropTypes,
        DropNamespace or DropExtension => PlanPhase.DropNamespaces,
        ChangePrivileges => PlanPhase.Triggers,
        _ => PlanPhase.AlterTables,
    };

    /// <summary>
    /// Programmable objects are created before the tables that may use them (a domain as a column
    /// type, a function in an index or default), unless they need a table first: a trigger, or a
    /// routine whose header names a table or view (a row type). Statements not read back (grants)
    /// go last. Removed triggers go before their tables change; other removed objects after the
    /// tables that used them are gone.
    /// </summary>
    private static PlanPhase PhaseOf(ChangeVerbatim change, HashSet<string> relations)
    {
        var statement = (change.To ?? change.From)!;
        var late = !statement.ReadBack || statement.AfterTables || statement.References.Any(relations.Contains);
        if (change.To is null)
        {
            return statement.AfterTables ? PlanPhase.Relax : PlanPhase.DropTypes;
        }

        return late ? PlanPhase.Triggers : PlanPhase.Routines;
    }

    /// <summary>Indexes and checks dropped and re-added under the same name: the drop goes right before the add.</summary>
    private static HashSet<string> ReplacedNames(List<SchemaChange> changes)
    {
        var added = new HashSet<string>(changes.OfType<AddIndex>().Select(a => Key(a.Table, a.Index.Name))
            .Concat(changes.OfType<AddCheck>().Select(a => Key(a.Table, a.Check.Name))), StringComparer.OrdinalIgnoreCase);
        return new HashSet<string>(changes.OfType<DropIndex>().Select(d => Key(d.Table, d.Index.Name))
            .Concat(changes.OfType<DropCheck>().Select(d => Key(d.Table, d.Check.Name)))
            .Where(added.Contains), StringComparer.OrdinalIgnoreCase);
    }

    private static string Key(Table table, string name) => table.Name + "." + name;

    private static IEnumerable<SchemaChange> SortWithinPhase(PlanPhase phase, List<SchemaChange> changes)
    {
        switch (phase)
        {
            case PlanPhase.CreateTables:
                return TopologicalSort(changes, c => ((CreateTable)c).Table.Name.ToString(),
                    c => ((CreateTable)c).Table.ForeignKeys.Select(f => f.ReferencedTable).Concat(((CreateTable)c).Table.Parents()).Select(n => n.ToString()), "tables");
            case PlanPhase.Views:
                var views = changes.Where(c => c is CreateView or ReplaceView).ToList();
                var names = views.Select(ViewOf).Select(v => v.Name).ToList();
                var sorted = TopologicalSort(views, c => ViewOf(c).Name.ToString(), c => References(ViewOf(c), names), "views");
                return sorted.Concat(changes.Except(views));
            case PlanPhase.Routines or PlanPhase.Triggers:
                return RoutineOrder(changes, create: true);
            case PlanPhase.DropTypes:
                var routines = changes.OfType<ChangeVerbatim>().Cast<SchemaChange>().ToList();
                return changes.Except(routines).OrderBy(c => c.ObjectName, StringComparer.Ordinal).Concat(RoutineOrder(routines, create: false));
            case PlanPhase.AlterTables:
                // One table's changes together; within a table renames first, then the rest in diff order.
                return changes
                    .Select((c, i) => (Change: c, Index: i))
                    .OrderBy(x => x.Change.TableName?.ToString() ?? x.Change.ObjectName, StringComparer.Ordinal)
                    .ThenBy(x => x.Change is RenameTable ? 0 : x.Change is RenameColumn or RenameTableElement ? 1 : x.Change is DropIndex or DropCheck ? 2 : 3)
                    .ThenBy(x => x.Index)
                    .Select(x => x.Change);
            case PlanPhase.Contract:
                // Indexes, then columns, then tables; tables that reference others go first.
                var tables = changes.OfType<DropTable>().ToList();
                // Tables dropped together may reference each other; any order of a cycle will do.
                var dropOrder = DependencyOrder.Sort(tables.OrderBy(t => t.ObjectName, StringComparer.Ordinal), t => t.Table.Name.ToString(),
                    t => t.Table.ForeignKeys.Select(f => f.ReferencedTable).Concat(t.Table.Parents()).Select(n => n.ToString())).Cast<SchemaChange>().Reverse();
                return changes.OfType<DropIndex>().Cast<SchemaChange>()
                    .Concat(changes.OfType<DropColumn>())
                    .Concat(dropOrder);
            default:
                return changes.OrderBy(c => c.ObjectName, StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// Each programmable object after the ones whose name it mentions (an aggregate after its
    /// state function, a function after the domain of a parameter); dropped in the reverse order.
    /// Mentions that form a cycle keep source order: the names are a conservative guess.
    /// </summary>
    private static IEnumerable<SchemaChange> RoutineOrder(List<SchemaChange> changes, bool create)
    {
        var statements = changes.Select((c, i) => (Change: c, Key: i.ToString(System.Globalization.CultureInfo.InvariantCulture), Statement: c is ChangeVerbatim v ? (create ? v.To ?? v.From : v.From ?? v.To) : null)).ToList();
        var byName = statements.Where(s => s.Statement?.ObjectName is not null)
            .ToLookup(s => s.Statement!.ObjectName!, s => s.Key, StringComparer.OrdinalIgnoreCase);
        var sorted = DependencyOrder.Sort(statements, s => s.Key,
            s => s.Statement is null ? Enumerable.Empty<string>() : s.Statement.References.SelectMany(r => byName[r]));
        var result = sorted.Select(s => s.Change);
        return create ? result : result.Reverse();
    }

    private static View ViewOf(SchemaChange change) => change is CreateView c ? c.View : ((ReplaceView)change).To;

    /// <summary>The names among <paramref name="candidates"/> that a view's query mentions.</summary>
    internal static IEnumerable<string> References(View view, IEnumerable<QualifiedName> candidates) =>
        candidates.Where(n => n != view.Name && Regex.IsMatch(view.Definition, @"(?<![\w$])" + Regex.Escape(n.Name) + @"(?![\w$])", RegexOptions.IgnoreCase))
            .Select(n => n.ToString());

    /// <summary>
    /// Orders items so that each comes after the items it depends on (dependencies outside the list
    /// are ignored); ties keep name order. A cycle is a <see cref="PlanOrderException"/> naming it.
    /// </summary>
    internal static IReadOnlyList<SchemaChange> TopologicalSort(
        List<SchemaChange> items, Func<SchemaChange, string> name, Func<SchemaChange, IEnumerable<string>> dependsOn, string what)
    {
        var sorted = items.OrderBy(name, StringComparer.Ordinal).ToList();
        return DependencyOrder.Sort(sorted, name, c => dependsOn(c).OrderBy(d => d, StringComparer.Ordinal), cycle =>
            throw new PlanOrderException($"the {what} {string.Join(" -> ", cycle)} depend on each other in a cycle; no order can create them"));
    }

    /// <summary>
    /// New tables that reference each other in a cycle cannot be created in any order: their
    /// foreign keys to other new tables become separate add-foreign-key changes.
    /// </summary>
    private static List<SchemaChange> SplitCyclicForeignKeys(List<SchemaChange> changes)
    {
        var created = changes.OfType<CreateTable>().ToList();
        var names = new HashSet<QualifiedName>(created.Select(c => c.Table.Name));
        var inCycle = TablesInCycles(created, names);
        if (inCycle.Count == 0)
        {
            return changes;
        }

        var result = new List<SchemaChange>();
        foreach (var change in changes)
        {
            if (change is CreateTable create && inCycle.Contains(create.Table.Name))
            {
                var deferred = create.Table.ForeignKeys.Where(f => f.ReferencedTable != create.Table.Name && names.Contains(f.ReferencedTable)).ToList();
                var table = create.Table with { ForeignKeys = create.Table.ForeignKeys.Except(deferred).ToEquatableList() };
                result.Add(new CreateTable(table));
                result.AddRange(deferred.Select(f => new AddForeignKey(create.Table, f)));
            }
            else
            {
                result.Add(change);
            }
        }

        return result;
    }

    /// <summary>
    /// The tables on a cycle of foreign keys between new tables: the members of every strongly connected component of
    /// more than one table (Tarjan's algorithm, iterative, linear in tables plus foreign keys).
    /// </summary>
    private static HashSet<QualifiedName> TablesInCycles(List<CreateTable> created, HashSet<QualifiedName> names)
    {
        var edges = new Dictionary<QualifiedName, List<QualifiedName>>();
        foreach (var c in created)
        {
            edges[c.Table.Name] = edges.TryGetValue(c.Table.Name, out var earlier) ? earlier : c.Table.ForeignKeys.Select(f => f.ReferencedTable).Where(t => t != c.Table.Name && names.Contains(t)).ToList();
        }

        var result = new HashSet<QualifiedName>();
        var index = new Dictionary<QualifiedName, int>();
        var low = new Dictionary<QualifiedName, int>();
        var onStack = new HashSet<QualifiedName>();
        var stack = new Stack<QualifiedName>();
        var work = new Stack<(QualifiedName Node, int Edge)>();
        foreach (var root in edges.Keys)
        {
            if (index.ContainsKey(root))
            {
                continue;
            }

            work.Push((root, 0));
            while (work.Count > 0)
            {
                var (node, edge) = work.Pop();
                if (edge == 0)
                {
                    index[node] = low[node] = index.Count;
                    stack.Push(node);
                    onStack.Add(node);
                }

                var targets = edges[node];
                if (edge < targets.Count)
                {
                    work.Push((node, edge + 1));
                    var next = targets[edge];
                    if (!index.ContainsKey(next))
                    {
                        work.Push((next, 0));
                    }
                    else if (onStack.Contains(next))
                    {
                        low[node] = Math.Min(low[node], index[next]);
                    }

                    continue;
                }

                // All edges done: pass the low link up, and pop a component at its root.
                if (work.Count > 0)
                {
                    var parent = work.Peek().Node;
                    low[parent] = Math.Min(low[parent], low[node]);
                }

                if (low[node] == index[node])
                {
                    var component = new List<QualifiedName>();
                    QualifiedName member;
                    do
                    {
                        member = stack.Pop();
                        onStack.Remove(member);
                        component.Add(member);
                    }
                    while (member != node);

                    if (component.Count > 1)
                    {
                        result.UnionWith(component);
                    }
                }
            }
        }

        return result;
    }
}
