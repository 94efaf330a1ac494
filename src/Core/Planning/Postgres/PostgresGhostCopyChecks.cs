using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Planning.Postgres;

/// <summary>
/// What a PostgreSQL ghost copy refuses at deploy, reported at plan time where the model knows it,
/// on the table as the plan leaves it when the step runs (earlier steps applied):
/// <list type="bullet">
/// <item>SB4010: the replica identity must cover the copy key (<see cref="PostgresCopyKey"/>). Schema
/// files cannot declare a replica identity, so the planner assumes DEFAULT (the primary key); deploy
/// reads the live table's and checks again.</item>
/// <item>SB4011: a dependent the cutover cannot carry across the swap: a materialized view over the
/// table (directly or through views), a rule on it, partitioning or inheritance.</item>
/// </list>
/// The deploy checks stay as the second line of defence (a server may differ from the files).
/// </summary>
internal static class PostgresGhostCopyChecks
{
    public static void Check(IReadOnlyList<PlanStep> steps, IReadOnlyList<OrderedChange> changes, Schema source, ICollection<Diagnostic> diagnostics)
    {
        var copies = steps.Where(s => s.Strategy == Strategy.GhostCopy && s.Table is not null && s.Changes.Count > 0).ToList();
        if (copies.Count == 0)
        {
            return;
        }

        // The model each step meets: the baseline with every earlier change applied.
        var current = source;
        var remaining = copies.Count;
        foreach (var ordered in changes)
        {
            var after = ChangeApplier.Apply(current, ordered.Change);
            if (copies.FirstOrDefault(s => ReferenceEquals(s.Changes[0], ordered.Change)) is { } step)
            {
                if (current.FindTable(step.Table!) is { } before)
                {
                    CheckKey(step, before, after.FindTable(step.Table!), diagnostics);
                    CheckDependents(step, before, current, diagnostics);
                }

                if (--remaining == 0)
                {
                    return;
                }
            }

            current = after;
        }
    }

    /// <summary>SB4010 where the table has a unique key to copy along (SB4002 reports a table with none).</summary>
    private static void CheckKey(PlanStep step, Table before, Table? after, ICollection<Diagnostic> diagnostics)
    {
        var primaryKey = before.PrimaryKey?.Parts.Select(p => p.Column).OfType<string>().ToList() ?? new List<string>();
        var key = PostgresCopyKey.Of(PostgresReplicaIdentity.Default, primaryKey, Array.Empty<string>());
        string? why = null;
        if (key.Count == 0 && Rules.ReplicationRule.HasNonNullUniqueKey(before))
        {
            why = $"{before.Name} has no primary key, so its replica identity (DEFAULT) sends no key with an update or delete and the captured changes cannot be matched to rows of the shadow. "
                + $"Add a primary key first; or, where the server already has REPLICA IDENTITY USING INDEX on a unique index of non-null columns (schema files cannot declare it), acknowledge with '-- schema:allow SB4010 {Object(step)} \"replica identity set on the server\"' and deploy checks the live table";
        }
        else if (key.Count > 0 && after is not null && !PostgresCopyKey.IsUniqueKeyOf(after, key.Select(k => NameAfter(after, k))))
        {
            why = $"the step leaves no unique key on ({string.Join(", ", key)}), the primary key the copy and the change stream match rows by. Keep that key in this release and change it in a later one";
        }

        if (why is not null)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.GhostCopyReplicaIdentity, $"{Object(step)}: the ghost copy cannot match captured changes to rows: {why}", Span(step), Object(step)));
        }
    }

    /// <summary>The column's name after the step (a rename keeps the old name as its renamed-from).</summary>
    private static string NameAfter(Table after, string column) =>
        after.FindColumn(column)?.Name ?? after.Columns.FirstOrDefault(c => string.Equals(c.Annotations.RenamedFrom, column, StringComparison.OrdinalIgnoreCase))?.Name ?? column;

    private static void CheckDependents(PlanStep step, Table table, Schema model, ICollection<Diagnostic> diagnostics)
    {
        string? why = null;
        if (MaterializedViewOver(table.Name, model) is { } view)
        {
            why = $"the materialized view {view} reads it, and the swap cannot carry a materialized view across (it would keep reading the old table). Drop {view} in an earlier release and create it again in a later one";
        }
        else if (model.Verbatim.FirstOrDefault(v => v.Kind == "RULE" && RuleOn(v.Text, table.Name)) is { } rule)
        {
            why = $"it has the rule {rule.Name ?? rule.Text}, which the swap cannot carry across. Drop the rule in an earlier release and create it again in a later one";
        }
        else if (table.Partitioning is not null || table.PartitionOf is not null || table.Inherits.Count > 0
                 || model.Tables.FirstOrDefault(t => t.PartitionOf == table.Name || t.Inherits.Contains(table.Name)) is not null)
        {
            why = "it is partitioned, a partition, or takes part in inheritance, and a ghost copy swaps one table only. Make the change on a new table and move the rows in a migration of your own";
        }

        if (why is not null)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.GhostCopyDependent,
                $"{Object(step)}: the ghost copy of {table.Name} cannot run online: {why}; or acknowledge with '-- schema:allow SB4011 {Object(step)} \"reason\"' and apply the step in a maintenance window (plan.sql), since deploy refuses it online",
                Span(step), Object(step)));
        }
    }

    /// <summary>A materialized view that reads the table, directly or through plain views (views bind by OID, so these are the dependents the swap must recreate).</summary>
    private static QualifiedName? MaterializedViewOver(QualifiedName table, Schema model)
    {
        var reached = new List<QualifiedName> { table };
        var seen = new HashSet<QualifiedName> { table };
        for (var i = 0; i < reached.Count; i++)
        {
            foreach (var view in model.Views.Where(v => !seen.Contains(v.Name) && ChangeOrderer.References(v, new[] { reached[i] }).Any()))
            {
                if (view.Materialized)
                {
                    return view.Name;
                }

                seen.Add(view.Name);
                reached.Add(view.Name);
            }
        }

        return null;
    }

    /// <summary>Whether a CREATE RULE statement is on the table (<c>... AS ON event TO [schema.]table</c>).</summary>
    private static bool RuleOn(string text, QualifiedName table) =>
        Regex.IsMatch(text, @"\bON\s+\w+\s+TO\s+(?:""?[^""\s.]+""?\.)?""?" + Regex.Escape(table.Name) + @"""?(?![\w$])", RegexOptions.IgnoreCase);

    private static SourceSpan Span(PlanStep step) => step.Changes[0].Span;

    /// <summary>Reported on the table (an allowance names the table, whichever change needs the copy).</summary>
    private static string Object(PlanStep step) => step.Table!.ToString();
}
