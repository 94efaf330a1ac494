using System.Linq;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Diff;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Rules;

/// <summary>SB1xxx: changes that lose data. Dropping what the baseline marked deprecated is a planned contraction (warning).</summary>
public sealed class DestructiveChangeRule : IRule
{
    public void Check(RuleContext context)
    {
        foreach (var change in context.Changes.Changes)
        {
            switch (change)
            {
                case DropTable drop:
                    context.ReportDestructive(DiagnosticCatalog.TableDropped, change.ObjectName, SourceSpan.None,
                        $"table {drop.Table.Name} is dropped with all its rows; if it was renamed, add '-- schema:renamed-from {drop.Table.Name.Name}' to the new table, otherwise mark it '-- schema:deprecated' in a release first or acknowledge with '-- schema:allow SB1001 {change.ObjectName} \"reason\"'",
                        drop.Table.Annotations.IsDeprecated);
                    break;
                case DropColumn drop:
                    context.ReportDestructive(DiagnosticCatalog.ColumnDropped, change.ObjectName, SpanOfTable(context, drop.Table),
                        $"column {change.ObjectName} is dropped with its data; if it was renamed, add '-- schema:renamed-from {drop.Column.Name}' to the new column, otherwise deprecate it first or acknowledge with '-- schema:allow SB1002 {change.ObjectName} \"reason\"'",
                        drop.Column.Annotations.IsDeprecated);
                    break;
                case AlterColumn alter:
                    CheckColumn(context, alter);
                    break;
                case DropNamespace drop:
                    context.ReportDestructive(DiagnosticCatalog.SchemaDropped, change.ObjectName, SourceSpan.None,
                        $"schema {drop.Namespace.Name} is dropped with everything in it; move or drop its objects in earlier releases and mark it '-- schema:deprecated' first, or acknowledge with '-- schema:allow SB1004 {change.ObjectName} \"reason\"'", drop.Namespace.Annotations.IsDeprecated);
                    break;
                case AlterEnumType alter:
                    var removed = TypeChangeClassifier.RemovedMembers(alter.From.Labels, alter.To.Labels);
                    if (removed.Count > 0)
                    {
                        context.Report(DiagnosticCatalog.EnumValueRemoved, change.ObjectName, alter.To.Span,
                            $"enum type {alter.To.Name} loses label(s) {Quote(removed)}; PostgreSQL cannot drop a label without recreating the type. Keep the label(s), update the rows that hold them and stop writing them, then drop them in a later release, or acknowledge with '-- schema:allow SB1005 {change.ObjectName} \"reason\"'");
                    }

                    break;
            }
        }
    }

    private static void CheckColumn(RuleContext context, AlterColumn alter)
    {
        if (alter.Changes(ColumnAspects.Type))
        {
            var removed = TypeChangeClassifier.RemovedMembers(alter.From.Type.Values, alter.To.Type.Values);
            if (alter.From.Type.Values.Count > 0 && alter.To.Type.Values.Count > 0 && removed.Count > 0)
            {
                context.Report(DiagnosticCatalog.EnumValueRemoved, alter.ObjectName, alter.Span,
                    $"{alter.ObjectName} loses {alter.To.Type.Name.ToUpperInvariant()} value(s) {Quote(removed)}; rows holding them would become empty strings or fail. Keep the value(s), update the rows that hold them and stop writing them, then remove them in a later release, or acknowledge with '-- schema:allow SB1005 {alter.ObjectName} \"reason\"'");
            }
            else if (TypeChangeClassifier.Classify(alter.From.Type, alter.To.Type, context.Engine.Dialect) == TypeChangeKind.Lossy)
            {
                context.Report(DiagnosticCatalog.LossyTypeChange, alter.ObjectName, alter.Span,
                    $"{alter.ObjectName} changes from {alter.From.Type} to {alter.To.Type}, which cannot hold every existing value (truncation, rounding or out of range). Keep the wider type, or add a new column of the new type, copy and check the values, switch the application and drop the old column later; to narrow in place after checking the data, acknowledge with '-- schema:allow SB1003 {alter.ObjectName} \"reason\"'");
            }
        }

        if (alter.Changes(ColumnAspects.Charset) && CharsetNarrows(alter.From.Charset, alter.To.Charset))
        {
            context.Report(DiagnosticCatalog.LossyTypeChange, alter.ObjectName, alter.Span,
                $"{alter.ObjectName} changes character set from {alter.From.Charset} to {alter.To.Charset}, which cannot hold every character the old one can. Keep {alter.From.Charset} (or move to utf8mb4), or check that no row holds such characters and acknowledge with '-- schema:allow SB1003 {alter.ObjectName} \"reason\"'");
        }
    }

    /// <summary>utf8mb4 holds everything; utf8mb3 holds the BMP; single-byte sets hold little.</summary>
    private static bool CharsetNarrows(string? from, string? to)
    {
        if (from is null || to is null || from == to)
        {
            return false;
        }

        return Rank(to) < Rank(from) || (Rank(to) == Rank(from) && Rank(to) < 3);
    }

    private static int Rank(string charset) => charset switch
    {
        "utf8mb4" or "utf16" or "utf32" => 4,
        "utf8mb3" or "utf8" or "ucs2" => 3,
        "binary" => 5,
        _ => 1,
    };

    private static SourceSpan SpanOfTable(RuleContext context, Table table) =>
        context.Desired.FindTable(table.Name)?.Span ?? SourceSpan.None;

    internal static string Quote(System.Collections.Generic.IEnumerable<string> values) => string.Join(", ", values.Select(v => "'" + v + "'"));
}
