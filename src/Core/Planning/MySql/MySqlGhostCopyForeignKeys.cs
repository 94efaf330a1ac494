using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Dialects.MySql;
using SchemaBuild.Core.Diff;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;

namespace SchemaBuild.Core.Planning.MySql;

/// <summary>
/// SB4009: a MySQL/MariaDB ghost copy moves the foreign keys of the copied table in its cutover (the
/// children's keys are re-pointed, the table's own keys move to the new table), except where that
/// cannot be done safely. Checked on the keys that still exist when the step runs (not dropped by the
/// plan): a key of the table on itself; a key of the table with a cascading action (InnoDB makes the
/// cascaded changes itself and does not write them to the binlog, so the copy would miss them); a key
/// whose columns the step changes in type, renames or drops (the other end keeps the old definition).
/// </summary>
internal static class MySqlGhostCopyForeignKeys
{
    public static void Check(IReadOnlyList<PlanStep> steps, IReadOnlyList<OrderedChange> changes, Schema source, ICollection<Diagnostic> diagnostics)
    {
        var dropped = new HashSet<(QualifiedName, string)>(changes.Select(c => c.Change).OfType<DropForeignKey>().Select(d => (d.Table.Name, d.ForeignKey.Name)));
        var droppedTables = new HashSet<QualifiedName>(changes.Select(c => c.Change).OfType<DropTable>().Select(d => d.Table.Name));
        foreach (var step in steps.Where(s => s.Strategy == Strategy.GhostCopy && s.Table is not null))
        {
            if (source.FindTable(step.Table!) is not { } table)
            {
                continue;
            }

            var span = step.Changes.Count > 0 ? step.Changes[0].Span : SourceSpan.None;
            var own = table.ForeignKeys.Where(k => !dropped.Contains((table.Name, k.Name))).ToList();
            var incoming = source.Tables.Where(t => t.Name != table.Name && !droppedTables.Contains(t.Name))
                .SelectMany(t => t.ForeignKeys.Where(k => k.ReferencedTable == table.Name && !dropped.Contains((t.Name, k.Name))).Select(k => (Child: t.Name, Key: k)))
                .ToList();
            var touched = Touched(step.Changes);
            string? why = null;
            if (own.FirstOrDefault(k => k.ReferencedTable == table.Name) is { } self)
            {
                why = $"its foreign key {self.Name} references the table itself, and the cutover cannot move both ends of it at once";
            }
            else if (own.FirstOrDefault(k => Cascades(k.OnDelete) || Cascades(k.OnUpdate)) is { } cascading)
            {
                why = $"its foreign key {cascading.Name} to {cascading.ReferencedTable} has ON DELETE {MySqlDdlWriter.Action(cascading.OnDelete)} ON UPDATE {MySqlDdlWriter.Action(cascading.OnUpdate)}: "
                      + "the engine makes those changes to the table itself and does not write them to the binlog, so the copy would miss them";
            }
            else if (own.FirstOrDefault(k => k.Columns.Any(touched.Contains)) is { } ownChanged)
            {
                why = $"the step changes the columns of its foreign key {ownChanged.Name} ({string.Join(", ", ownChanged.Columns)}) while {ownChanged.ReferencedTable} keeps the old definition";
            }
            else if (incoming.FirstOrDefault(i => i.Key.ReferencedColumns.Any(touched.Contains)) is { Key: not null } child)
            {
                why = $"the step changes the columns ({string.Join(", ", child.Key.ReferencedColumns)}) that {child.Child}'s foreign key {child.Key.Name} references, while {child.Child} keeps the old definition";
            }

            if (why is not null)
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.GhostCopyForeignKey,
                    $"{step.ObjectName}: the ghost copy cannot move the foreign keys safely: {why}. Drop the key in an earlier release and add it back after this one, or apply the step in a maintenance window instead",
                    span, step.ObjectName));
            }
        }
    }

    /// <summary>Columns (by their name in the baseline) whose type changes, or that are renamed or dropped.</summary>
    private static HashSet<string> Touched(IEnumerable<SchemaChange> changes) => new(changes.SelectMany(c => c switch
    {
        AlterColumn a when a.Changes(ColumnAspects.Type) || a.Changes(ColumnAspects.Charset) => new[] { a.From.Name },
        RenameColumn r => new[] { r.From },
        DropColumn d => new[] { d.Column.Name },
        _ => System.Array.Empty<string>(),
    }), System.StringComparer.OrdinalIgnoreCase);

    private static bool Cascades(ReferentialAction action) => action is ReferentialAction.Cascade or ReferentialAction.SetNull or ReferentialAction.SetDefault;
}
