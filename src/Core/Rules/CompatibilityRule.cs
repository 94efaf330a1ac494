using System.Linq;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Diff;

namespace SchemaBuild.Core.Rules;

/// <summary>SB2xxx: changes the running application (the old version, during rollout) does not survive.</summary>
public sealed class CompatibilityRule : IRule
{
    public void Check(RuleContext context)
    {
        foreach (var change in context.Changes.Changes)
        {
            switch (change)
            {
                case RenameTable rename:
                    context.Report(DiagnosticCatalog.TableRenamed, change.ObjectName, change.Span,
                        $"table {rename.From} is renamed to {rename.Table.Name}; the running application still uses the old name. Add the new table alongside (expand), move the application, then drop the old one (contract), or acknowledge with '-- schema:allow SB2001 {change.ObjectName} \"reason\"'");
                    break;
                case RenameColumn rename:
                    context.Report(DiagnosticCatalog.ColumnRenamed, change.ObjectName, change.Span,
                        $"column {rename.Table.Name}.{rename.From} is renamed to {rename.Column.Name}; the running application still uses the old name. Add the new column, write both, then drop the old one, or acknowledge with '-- schema:allow SB2002 {change.ObjectName} \"reason\"'");
                    break;
                case AddColumn add when !add.Column.Nullable && add.Column.Default is null && !add.Column.AutoIncrement
                                        && add.Column.Identity is null && add.Column.Generated is null:
                    context.Report(DiagnosticCatalog.NotNullWithoutDefault, change.ObjectName, change.Span,
                        $"column {change.ObjectName} is NOT NULL without a default; inserts from the running application, which does not know the column, will fail. Give it a DEFAULT or make it nullable first");
                    break;
                case AlterColumn alter when alter.Changes(ColumnAspects.Nullability) && !alter.To.Nullable:
                    context.Report(DiagnosticCatalog.MadeNotNull, change.ObjectName, change.Span,
                        $"column {change.ObjectName} becomes NOT NULL; existing NULLs make the change fail and the running application may still write NULL. Backfill and stop writing NULLs first, then acknowledge with '-- schema:allow SB2004 {change.ObjectName} \"reason\"'");
                    break;
                case AlterColumn alter when alter.Changes(ColumnAspects.Default) && alter.From.Default is not null && alter.To.Default is null && !alter.To.Nullable:
                    context.Report(DiagnosticCatalog.DefaultRemoved, change.ObjectName, change.Span,
                        $"column {change.ObjectName} is NOT NULL and loses its default; inserts that omit it will fail. Keep the default until no version of the application omits the column, or acknowledge with '-- schema:allow SB2006 {change.ObjectName} \"reason\"'");
                    break;
                case DropView drop:
                    context.Report(DiagnosticCatalog.ViewBroken, change.ObjectName, change.Span,
                        $"view {drop.View.Name} is dropped; queries of the running application that read it will fail. Mark it '-- schema:deprecated' and drop it once no deployed version reads it, or acknowledge with '-- schema:allow SB2005 {change.ObjectName} \"reason\"'");
                    break;
                case ReplaceView replace when replace.From.ColumnNames.Except(replace.To.ColumnNames).Any() && replace.To.ColumnNames.Count > 0:
                    context.Report(DiagnosticCatalog.ViewBroken, change.ObjectName, change.Span,
                        $"view {replace.To.Name} no longer has column(s) {DestructiveChangeRule.Quote(replace.From.ColumnNames.Except(replace.To.ColumnNames))}; queries that select them will fail. Keep the column(s) in the view until no deployed version reads them, or acknowledge with '-- schema:allow SB2005 {change.ObjectName} \"reason\"'");
                    break;
            }
        }
    }
}
