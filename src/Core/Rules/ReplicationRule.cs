using System.Linq;
using System.Text.RegularExpressions;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Diff;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Rules;

/// <summary>
/// SB5xxx: row-based replication maps columns by position, and a replica or green environment may
/// run the other schema version. These changes break that.
/// </summary>
public sealed class ReplicationRule : IRule
{
    // Functions whose value differs between the primary and a replica evaluating the same statement.
    private static readonly Regex NonDeterministic = new(
        @"\b(rand|uuid|uuid_short|sysdate|user|current_user|session_user|system_user|connection_id|found_rows|row_count|last_insert_id|random|gen_random_uuid|clock_timestamp|timeofday)\s*\(",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly Regex Temporal = new(@"\b(now|current_timestamp|localtime|localtimestamp|curdate|curtime|current_date|current_time|utc_timestamp)\b", RegexOptions.IgnoreCase);

    public void Check(RuleContext context)
    {
        var mysql = !context.Engine.IsPostgres;
        foreach (var change in context.Changes.Changes)
        {
            switch (change)
            {
                case AddColumn add when !add.AtEnd:
                    context.Report(DiagnosticCatalog.ColumnNotAtEnd, change.ObjectName, change.Span,
                        $"column {change.ObjectName} is added before existing columns; replicas and the running application map row images by position. Move it after the last column");
                    break;
                case ReorderColumns reorder:
                    context.Report(DiagnosticCatalog.ColumnsReordered, change.ObjectName, change.Span,
                        $"the existing columns of {reorder.To.Name} change order; replicas map row images by position. Keep the old order and add new columns at the end");
                    break;
                case AlterColumn alter when mysql && alter.Changes(ColumnAspects.Type):
                    CheckTypeChange(context, alter);
                    break;
            }
        }

        foreach (var table in context.Desired.Tables)
        {
            if (mysql && table.PrimaryKey is null && !HasNonNullUniqueKey(table))
            {
                context.Report(DiagnosticCatalog.NoPrimaryKeyReplication, table.Name.ToString(), table.Span,
                    $"table {table.Name} has no primary key or non-null unique key; every row event makes replicas scan the table, and online copies cannot run. Add a primary key");
            }

            foreach (var column in table.Columns)
            {
                CheckExpressions(context, table, column, mysql);
            }
        }
    }

    private static void CheckTypeChange(RuleContext context, AlterColumn alter)
    {
        var from = alter.From.Type;
        var to = alter.To.Type;
        if (from.Values.Count > 0 && to.Values.Count > 0 && !TypeChangeClassifier.OrdinalsKept(from.Values, to.Values))
        {
            context.Report(DiagnosticCatalog.EnumReordered, alter.ObjectName, alter.Span,
                $"{alter.ObjectName} reorders or inserts {to.Name.ToUpperInvariant()} values before existing ones; stored ordinals change meaning on replicas and in the binlog. Append new values at the end");
        }
        else if (TypeChangeClassifier.Classify(from, to, context.Engine.Dialect) == TypeChangeKind.Widening && from.Values.Count == 0)
        {
            context.Report(DiagnosticCatalog.NeedsTypeConversions, alter.ObjectName, alter.Span,
                $"{alter.ObjectName} widens from {from} to {to}; replicas still on the old type apply row events only with slave_type_conversions=ALL_NON_LOSSY. Set it on the replicas before the deploy, or change the replicas first; with that in place, acknowledge with '-- schema:allow SB5003 {alter.ObjectName} \"reason\"'");
        }
    }

    private static void CheckExpressions(RuleContext context, Table table, Column column, bool mysql)
    {
        var name = table.Name + "." + column.Name;
        if (column.Generated is { } generated && (NonDeterministic.IsMatch(generated.Expression) || Temporal.IsMatch(generated.Expression)))
        {
            context.Report(DiagnosticCatalog.NonDeterministic, name, column.Span,
                $"generated column {name} uses a non-deterministic expression ({generated.Expression}); replicas may compute a different value. Compute the value in the application, or use a deterministic expression");
        }
        else if (mysql && column.Default is { Kind: DefaultKind.Expression } value && NonDeterministic.IsMatch(value.Value))
        {
            context.Report(DiagnosticCatalog.NonDeterministic, name, column.Span,
                $"column {name} defaults to a non-deterministic expression ({value.Value}); a replica applying the statement may store a different value. Set the value in the application instead");
        }
    }

    internal static bool HasNonNullUniqueKey(Table table) =>
        table.Indexes.Any(i => i.Kind == IndexKind.Unique && i.Predicate is null
            && i.Parts.All(p => p.Column is not null && p.PrefixLength is null && table.FindColumn(p.Column) is { Nullable: false }));
}
