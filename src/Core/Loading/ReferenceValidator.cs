using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Loading;

/// <summary>
/// SB0004: every name a model element refers to must exist — foreign key targets and their
/// columns, key and index columns, sequence owners. Runs on the normalized model so that
/// implicit schemas and name spellings are already resolved.
/// </summary>
public static class ReferenceValidator
{
    public static IReadOnlyList<Diagnostic> Validate(Schema schema)
    {
        var diagnostics = new List<Diagnostic>();
        var tables = new Dictionary<QualifiedName, Table>();
        foreach (var table in schema.Tables)
        {
            tables[table.Name] = table;
        }

        foreach (var table in schema.Tables)
        {
            if (table.PrimaryKey is { } key)
            {
                CheckParts(table, key.Parts, "primary key", key.Span, diagnostics);
            }

            foreach (var index in table.Indexes)
            {
                CheckParts(table, index.Parts, "index " + index.Name, index.Span, diagnostics);
                foreach (var column in index.Include.Where(c => table.FindColumn(c) is null))
                {
                    diagnostics.Add(Missing($"index {index.Name} includes column '{column}', which {table.Name} does not have", index.Span, $"{table.Name}.{index.Name}"));
                }
            }

            foreach (var foreignKey in table.ForeignKeys)
            {
                CheckForeignKey(tables, table, foreignKey, diagnostics);
            }
        }

        var tablesByText = schema.Sequences.Count == 0 ? null : schema.Tables.GroupBy(t => t.Name.ToString()).ToDictionary(g => g.Key, g => g.First());
        foreach (var sequence in schema.Sequences.Where(s => s.OwnedBy is not null))
        {
            var dot = sequence.OwnedBy!.LastIndexOf('.');
            var tableName = sequence.OwnedBy.Substring(0, dot);
            if (!tablesByText!.TryGetValue(tableName, out var owner) || owner.FindColumn(sequence.OwnedBy.Substring(dot + 1)) is null)
            {
                diagnostics.Add(Missing($"sequence {sequence.Name} is owned by '{sequence.OwnedBy}', which does not exist", sequence.Span, sequence.Name.ToString()));
            }
        }

        return diagnostics;
    }

    private static void CheckParts(Table table, IEnumerable<IndexKeyPart> parts, string what, SourceSpan span, List<Diagnostic> diagnostics)
    {
        foreach (var part in parts.Where(p => p.Column is not null && table.FindColumn(p.Column) is null))
        {
            diagnostics.Add(Missing($"{what} of {table.Name} names column '{part.Column}', which the table does not have", span, table.Name.ToString()));
        }
    }

    private static void CheckForeignKey(Dictionary<QualifiedName, Table> tables, Table table, ForeignKey foreignKey, List<Diagnostic> diagnostics)
    {
        var objectName = $"{table.Name}.{foreignKey.Name}";
        foreach (var column in foreignKey.Columns.Where(c => table.FindColumn(c) is null))
        {
            diagnostics.Add(Missing($"foreign key {foreignKey.Name} of {table.Name} names column '{column}', which the table does not have", foreignKey.Span, objectName));
        }

        if (!tables.TryGetValue(foreignKey.ReferencedTable, out var target))
        {
            diagnostics.Add(Missing($"foreign key {foreignKey.Name} of {table.Name} references table {foreignKey.ReferencedTable}, which no schema file defines", foreignKey.Span, objectName));
            return;
        }

        foreach (var column in foreignKey.ReferencedColumns.Where(c => target.FindColumn(c) is null))
        {
            diagnostics.Add(Missing($"foreign key {foreignKey.Name} of {table.Name} references column {target.Name}.{column}, which does not exist", foreignKey.Span, objectName));
        }
    }

    private static Diagnostic Missing(string message, SourceSpan span, string objectName) =>
        Diagnostic.Create(DiagnosticCatalog.UnresolvedReference, message, span, objectName);
}
