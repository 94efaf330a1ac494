using System;
using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Diff;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Planning;

/// <summary>
/// Proves a plan's order: applies every step's changes to the source model, checking at each step
/// that what it needs exists (tables a foreign key references, columns an index names, nothing
/// left referring to a dropped object), and that the end result equals the target.
/// </summary>
public static class PlanValidator
{
    /// <summary>Returns the problems found; empty when the order is valid.</summary>
    public static IReadOnlyList<string> Validate(Schema source, Schema target, IEnumerable<PlanStep> steps)
    {
        var problems = new List<string>();
        var model = new WorkingModel(source);
        var names = SchemaDiffer.NameComparer(source.Dialect);
        var pending = new List<(PlanStep Step, CreateTable Create)>();
        var sequences = new List<Sequence>();
        foreach (var step in steps)
        {
            foreach (var change in step.Changes)
            {
                // Runs of new tables and sequences are added in one batch: one at a time copies and sorts the list per object.
                if (change is CreateTable create)
                {
                    pending.Add((step, create));
                    continue;
                }

                if (change is CreateSequence sequence)
                {
                    sequences.Add(sequence.Sequence);
                    continue;
                }

                CreateTables(model, pending, problems);
                if (sequences.Count > 0)
                {
                    model.Reset(ChangeApplier.AddSequences(model.Schema, sequences));
                }

                try
                {
                    // A change inside one table replaces that table in place; any other change goes through a whole model.
                    if (ChangeApplier.TableUpdate(change, names) is { } update)
                    {
                        model.Update(update.Table, update.Update);
                    }
                    else
                    {
                        model.Reset(ChangeApplier.Apply(model.Schema, change));
                    }
                }
                catch (InvalidOperationException ex)
                {
                    problems.Add($"step {step.Id} ({change.Kind} {change.ObjectName}): {ex.Message}");
                    continue;
                }

                problems.AddRange(CheckReferences(model, change).Select(p => $"step {step.Id} ({change.Kind} {change.ObjectName}): {p}"));
            }
        }

        CreateTables(model, pending, problems);
        var result = ChangeApplier.AddSequences(model.Schema, sequences);
        if (!result.Equals(target))
        {
            problems.AddRange(ModelComparer.Differences(target, result).Select(d => "after the last step the model differs from the target: " + d));
        }

        return problems;
    }

    /// <summary>
    /// Adds the pending new tables; each one's foreign keys must find their targets among the tables that exist before it
    /// (the model so far and the new tables before it in the run), as if the tables were added one by one.
    /// </summary>
    private static void CreateTables(WorkingModel model, List<(PlanStep Step, CreateTable Create)> pending, List<string> problems)
    {
        if (pending.Count == 0)
        {
            return;
        }

        var created = new Dictionary<QualifiedName, Table>();
        foreach (var (step, create) in pending)
        {
            var table = create.Table;
            if (model.FindTable(table.Name) is not null || created.ContainsKey(table.Name))
            {
                problems.Add($"step {step.Id} ({create.Kind} {create.ObjectName}): table {table.Name} already exists at this point of the plan");
                continue;
            }

            created.Add(table.Name, table);
            foreach (var fk in table.ForeignKeys)
            {
                var target = model.FindTable(fk.ReferencedTable) ?? (created.TryGetValue(fk.ReferencedTable, out var earlier) ? earlier : null);
                if (target is null)
                {
                    problems.Add($"step {step.Id} ({create.Kind} {create.ObjectName}): foreign key {fk.Name} references {fk.ReferencedTable}, which does not exist yet");
                    continue;
                }

                foreach (var column in fk.ReferencedColumns.Where(c => target.FindColumn(c) is null))
                {
                    problems.Add($"step {step.Id} ({create.Kind} {create.ObjectName}): foreign key {fk.Name} references {fk.ReferencedTable}.{column}, which does not exist yet");
                }
            }
        }

        pending.Clear();
        model.Reset(ChangeApplier.AddTables(model.Schema, created.Values));
    }

    private static IEnumerable<string> CheckReferences(WorkingModel model, SchemaChange change)
    {
        switch (change)
        {
            case CreateTable create:
                foreach (var problem in ForeignKeyTargets(model, create.Table, create.Table.ForeignKeys))
                {
                    yield return problem;
                }

                break;
            case AddForeignKey add:
                foreach (var problem in ForeignKeyTargets(model, add.Table, new[] { add.ForeignKey }))
                {
                    yield return problem;
                }

                break;
            case DropTable drop:
                foreach (var table in model.Tables.Where(t => t.ForeignKeys.Any(f => f.ReferencedTable == drop.Table.Name)))
                {
                    yield return $"{table.Name} still has a foreign key to dropped table {drop.Table.Name}";
                }

                break;
            case DropColumn drop:
                var owner = model.FindTable(drop.Table.Name);
                if (owner is not null)
                {
                    foreach (var index in owner.Indexes.Where(i => i.Parts.Any(p => Same(p.Column, drop.Column.Name))))
                    {
                        yield return $"index {index.Name} still uses dropped column {drop.Column.Name}";
                    }

                    foreach (var fk in owner.ForeignKeys.Where(f => f.Columns.Any(c => Same(c, drop.Column.Name))))
                    {
                        yield return $"foreign key {fk.Name} still uses dropped column {drop.Column.Name}";
                    }
                }

                foreach (var table in model.Tables)
                {
                    foreach (var fk in table.ForeignKeys.Where(f => f.ReferencedTable == drop.Table.Name && f.ReferencedColumns.Any(c => Same(c, drop.Column.Name))))
                    {
                        yield return $"foreign key {table.Name}.{fk.Name} still references dropped column {drop.Column.Name}";
                    }
                }

                break;
            case DropEnumType drop:
                foreach (var table in model.Tables)
                {
                    foreach (var column in table.Columns.Where(c => c.Type.Name == drop.Type.Name.Name && (c.Type.TypeSchema ?? drop.Type.Name.Schema) == drop.Type.Name.Schema))
                    {
                        yield return $"column {table.Name}.{column.Name} still uses dropped type {drop.Type.Name}";
                    }
                }

                break;
        }
    }

    private static IEnumerable<string> ForeignKeyTargets(WorkingModel model, Table table, IEnumerable<ForeignKey> foreignKeys)
    {
        foreach (var fk in foreignKeys)
        {
            var target = fk.ReferencedTable == table.Name ? model.FindTable(table.Name) : model.FindTable(fk.ReferencedTable);
            if (target is null)
            {
                yield return $"foreign key {fk.Name} references {fk.ReferencedTable}, which does not exist yet";
                continue;
            }

            foreach (var column in fk.ReferencedColumns.Where(c => target.FindColumn(c) is null))
            {
                yield return $"foreign key {fk.Name} references {fk.ReferencedTable}.{column}, which does not exist yet";
            }
        }
    }

    /// <summary>
    /// The model as the steps change it. The tables sit in an array with a name index, so a change inside one table replaces
    /// that table in place instead of copying the table list and rebuilding its index (quadratic over a plan that changes
    /// thousands of tables); a whole <see cref="Model.Schema"/> is built only when a change or the final comparison needs one.
    /// </summary>
    private sealed class WorkingModel
    {
        private Schema schema = null!;
        private Table[] tables = Array.Empty<Table>();
        private Dictionary<QualifiedName, int> positions = new();
        private bool tablesChanged;

        public WorkingModel(Schema schema) => Reset(schema);

        public Schema Schema
        {
            get
            {
                if (tablesChanged)
                {
                    schema = schema with { Tables = EquatableList<Table>.Of((Table[])tables.Clone()) };
                    tablesChanged = false;
                }

                return schema;
            }
        }

        public IEnumerable<Table> Tables => tables;

        public void Reset(Schema model)
        {
            schema = model;
            tables = model.Tables.ToArray();
            positions = new Dictionary<QualifiedName, int>(tables.Length);
            for (var i = 0; i < tables.Length; i++)
            {
                // The first of two same-named tables wins, as the model's own lookup finds it.
                if (!positions.ContainsKey(tables[i].Name))
                {
                    positions.Add(tables[i].Name, i);
                }
            }

            tablesChanged = false;
        }

        public Table? FindTable(QualifiedName name) => positions.TryGetValue(name, out var i) ? tables[i] : null;

        /// <summary>Names stay put (renames go through <see cref="Reset"/>), so the table keeps its place and its index entry.</summary>
        public void Update(QualifiedName name, Func<Table, Table> update)
        {
            if (!positions.TryGetValue(name, out var i))
            {
                throw ChangeApplier.MissingTable(name);
            }

            tables[i] = update(tables[i]);
            tablesChanged = true;
        }
    }

    private static bool Same(string? a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
