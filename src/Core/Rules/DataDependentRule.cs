using System.Linq;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Diff;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Rules;

/// <summary>SB3xxx: changes that may fail at deploy time on the rows a table already holds.</summary>
public sealed class DataDependentRule : IRule
{
    public void Check(RuleContext context)
    {
        foreach (var change in context.Changes.Changes)
        {
            switch (change)
            {
                case AddIndex add when add.Index.Kind == IndexKind.Unique && Existed(context, add.Table, add.Index.Parts.Select(p => p.Column)):
                    context.Report(DiagnosticCatalog.UniqueAdded, change.ObjectName, change.Span,
                        $"unique index {add.Index.Name} is added over existing columns of {add.Table.Name}; it fails if duplicates exist. Check with a GROUP BY ... HAVING COUNT(*) > 1 first");
                    break;
                case ChangePrimaryKey key when key.To is not null && Existed(context, key.Table, key.To.Parts.Select(p => p.Column)):
                    context.Report(DiagnosticCatalog.UniqueAdded, change.ObjectName, change.Span,
                        $"the primary key of {key.Table.Name} changes to ({string.Join(", ", key.To.Parts)}); it fails if those columns hold duplicates or NULLs");
                    break;
                case AddCheck add when TableExisted(context, add.Table):
                    context.Report(DiagnosticCatalog.CheckAdded, change.ObjectName, change.Span,
                        $"check {add.Check.Name} is added to {add.Table.Name}; existing rows that violate it make the change fail. Count them with SELECT COUNT(*) ... WHERE NOT (condition) and fix them first, or acknowledge with '-- schema:allow SB3002 {change.ObjectName} \"reason\"'");
                    break;
                case AddForeignKey add when TableExisted(context, add.Table) && !OnlyNewEmptyColumns(context, add.Table, add.ForeignKey.Columns):
                    context.Report(DiagnosticCatalog.ForeignKeyAdded, change.ObjectName, change.Span,
                        $"foreign key {add.ForeignKey.Name} is added to {add.Table.Name}; existing rows without a match in {add.ForeignKey.ReferencedTable} stop the deploy before the key is in force "
                        + "(deploy checks them first). Find them with a LEFT JOIN on the key first");
                    break;
                case AlterColumn alter when alter.Changes(ColumnAspects.Type)
                                            && TypeChangeClassifier.Classify(alter.From.Type, alter.To.Type, context.Engine.Dialect) == TypeChangeKind.Conversion:
                    context.Report(DiagnosticCatalog.ConversionMayFail, change.ObjectName, change.Span,
                        $"{change.ObjectName} changes from {alter.From.Type} to {alter.To.Type}; values that do not convert make the change fail (or, in non-strict MySQL modes, turn into zeros). Add a new column of the new type, convert and check the values, switch the application and drop the old column later, or acknowledge with '-- schema:allow SB3004 {change.ObjectName} \"reason\"'");
                    break;
            }
        }
    }

    private static bool TableExisted(RuleContext context, Table table) =>
        context.Baseline.FindTable(table.Name) is not null
        || context.Changes.Changes.OfType<RenameTable>().Any(r => r.Table.Name == table.Name);

    /// <summary>
    /// True when one of the columns is added in this change set, nullable and without a default: existing rows
    /// hold NULL there, and a foreign key does not apply to rows with a NULL in its columns.
    /// </summary>
    private static bool OnlyNewEmptyColumns(RuleContext context, Table table, System.Collections.Generic.IEnumerable<string> columns)
    {
        var added = context.Changes.Changes.OfType<AddColumn>().Where(a => a.Table.Name == table.Name)
            .Select(a => a.Column).Where(c => c.Nullable && c.Default is null && c.Generated is null && c.Identity is null && !c.AutoIncrement).Select(c => c.Name).ToList();
        return columns.Any(c => added.Contains(c, System.StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>True when the table existed and at least one key column is not new in this change set.</summary>
    private static bool Existed(RuleContext context, Table table, System.Collections.Generic.IEnumerable<string?> columns)
    {
        if (!TableExisted(context, table))
        {
            return false;
        }

        var added = context.Changes.Changes.OfType<AddColumn>().Where(a => a.Table.Name == table.Name).Select(a => a.Column.Name).ToList();
        return columns.Any(c => c is null || !added.Contains(c, System.StringComparer.OrdinalIgnoreCase));
    }
}
