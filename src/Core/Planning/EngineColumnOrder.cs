using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Planning;

/// <summary>
/// On an engine that cannot place columns (PostgreSQL), the order the files give the columns of an existing
/// table is not reachable: new columns go to the end and existing ones keep their place. The plan's target
/// takes the order the engine will produce, so deploy verifies against what the server can build and a later
/// comparison with the files shows no drift; SB4008 (info) says where the files' order was not followed.
/// </summary>
internal static class EngineColumnOrder
{
    public static Schema Reachable(Schema source, Schema target, EngineProfile engine, ICollection<Diagnostic> diagnostics)
    {
        if (engine.PlacesColumns)
        {
            return target;
        }

        var sourceTables = source.Tables.ToDictionary(t => t.Name);
        var changed = false;
        var tables = target.Tables.Select(table =>
        {
            if (!sourceTables.TryGetValue(table.Name, out var existing))
            {
                return table;
            }

            var ordered = Order(existing, table);
            if (ordered.Select(c => c.Name).SequenceEqual(table.Columns.Select(c => c.Name)))
            {
                return table;
            }

            changed = true;
            var moved = table.Columns.Where((c, i) => ordered[i].Name != c.Name).Select(c => c.Name);
            diagnostics.Add(Diagnostic.Create(
                DiagnosticCatalog.ColumnAppended,
                $"{table.Name}: {engine.Dialect} cannot place a column between existing ones, so the columns keep the table's order and new ones "
                + $"are appended ({string.Join(", ", ordered.Select(c => c.Name))}); the files' order differs at {string.Join(", ", moved)}",
                table.Span,
                table.Name.ToString()));
            return table with { Columns = ordered.ToEquatableList() };
        }).ToList();
        return changed ? target with { Tables = tables.ToEquatableList() } : target;
    }

    /// <summary>Columns the table has (matched by name or <c>schema:renamed-from</c>) in its order, then the new ones in the files' order.</summary>
    private static List<Column> Order(Table existing, Table desired)
    {
        var position = existing.Columns.Select((c, i) => (c.Name, i)).ToDictionary(p => p.Name, p => p.i);
        int? PositionOf(Column column) =>
            position.TryGetValue(column.Name, out var at) ? at
            : column.Annotations.RenamedFrom is { } old && position.TryGetValue(old, out var renamed) ? renamed
            : null;

        var kept = desired.Columns.Where(c => PositionOf(c) is not null).OrderBy(c => PositionOf(c)!.Value);
        return kept.Concat(desired.Columns.Where(c => PositionOf(c) is null)).ToList();
    }
}
