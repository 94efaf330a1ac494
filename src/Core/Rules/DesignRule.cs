using System;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Rules;

/// <summary>SB6xxx: design hygiene of the desired schema as a whole.</summary>
public sealed class DesignRule : IRule
{
    private static readonly Regex MoneyName = new(@"(^|_)(price|amount|cost|balance|total)s?($|_)", RegexOptions.IgnoreCase);

    public void Check(RuleContext context)
    {
        var engine = context.Engine;
        foreach (var table in context.Desired.Tables)
        {
            var tableName = table.Name.ToString();
            CheckIdentifier(context, table.Name.Name, tableName, table.Span);
            if (table.PrimaryKey is null)
            {
                context.Report(DiagnosticCatalog.NoPrimaryKey, tableName, table.Span, $"table {tableName} has no primary key; replicas, online copies and row lookups need one. Add a PRIMARY KEY (e.g. an id column), or turn the rule off for such tables with SB6001=none");
            }

            if (!engine.IsPostgres && IsUtf8mb3(table.Options.Charset))
            {
                context.Report(DiagnosticCatalog.Utf8mb3, tableName, table.Span,
                    $"table {tableName} uses {table.Options.Charset}, which cannot store 4-byte characters (emoji, some CJK); use utf8mb4");
            }

            foreach (var column in table.Columns)
            {
                CheckColumn(context, table, column);
            }

            foreach (var index in table.Indexes)
            {
                CheckIdentifier(context, index.Name, tableName + "." + index.Name, index.Span);
            }

            foreach (var foreignKey in table.ForeignKeys)
            {
                CheckIdentifier(context, foreignKey.Name, tableName + "." + foreignKey.Name, foreignKey.Span);
                if (engine.IsPostgres && !IsIndexed(table, foreignKey))
                {
                    context.Report(DiagnosticCatalog.ForeignKeyWithoutIndex, tableName + "." + foreignKey.Name, foreignKey.Span,
                        $"foreign key {foreignKey.Name} on {tableName} ({string.Join(", ", foreignKey.Columns)}) has no index; deletes in {foreignKey.ReferencedTable} scan {tableName}. Add an index on those columns");
                }
            }

            if (table.PrimaryKey is { Parts.Count: 1 } key && key.Parts[0].Column is { } keyColumn
                && table.FindColumn(keyColumn) is { } pkColumn && MayOverflow(pkColumn.Type))
            {
                context.Report(DiagnosticCatalog.PrimaryKeyMayOverflow, tableName + "." + pkColumn.Name, pkColumn.Span,
                    $"primary key {tableName}.{pkColumn.Name} is {pkColumn.Type}; a busy table can exhaust it. Use bigint (4 more bytes per row) while the table is small, or acknowledge with '-- schema:allow SB6007 {tableName}.{pkColumn.Name} \"reason\"'");
            }
        }

        foreach (var view in context.Desired.Views)
        {
            CheckIdentifier(context, view.Name.Name, view.Name.ToString(), view.Span);
        }
    }

    private static void CheckColumn(RuleContext context, Table table, Column column)
    {
        var name = table.Name + "." + column.Name;
        CheckIdentifier(context, column.Name, name, column.Span);
        var type = column.Type.Name;
        if (!context.Engine.IsPostgres && IsUtf8mb3(column.Charset) && !IsUtf8mb3(table.Options.Charset))
        {
            context.Report(DiagnosticCatalog.Utf8mb3, name, column.Span, $"column {name} uses {column.Charset}; use utf8mb4");
        }

        if (type is "float" or "double" or "real" or "double precision" && MoneyName.IsMatch(column.Name))
        {
            context.Report(DiagnosticCatalog.FloatForMoney, name, column.Span,
                $"column {name} looks like money but is {column.Type}, which cannot store most decimal fractions exactly; use DECIMAL/numeric");
        }

        if (context.Engine.IsPostgres && type == "timestamp without time zone")
        {
            context.Report(DiagnosticCatalog.TimestampWithoutTimeZone, name, column.Span,
                $"column {name} is timestamp without time zone, which stores wall-clock times whose zone is unknown; use timestamp with time zone (timestamptz)");
        }
    }

    private static void CheckIdentifier(RuleContext context, string identifier, string objectName, SourceSpan span)
    {
        var bytes = Encoding.UTF8.GetByteCount(identifier);
        if (bytes > context.Engine.MaxIdentifierBytes)
        {
            context.Report(DiagnosticCatalog.IdentifierTooLong, objectName, span,
                $"identifier '{identifier}' is {bytes} bytes; {context.Engine.Dialect} allows {context.Engine.MaxIdentifierBytes}{(context.Engine.IsPostgres ? " and silently truncates longer names" : string.Empty)}. Choose a shorter name");
        }
    }

    private static bool IsUtf8mb3(string? charset) => charset is "utf8" or "utf8mb3";

    private static bool MayOverflow(DataType type) =>
        type.Name is "int" or "integer" or "mediumint" or "smallint" or "tinyint" && !(type.Name == "tinyint" && type.Length == 1);

    /// <summary>An index whose leading key columns are exactly the foreign key's columns, in any order.</summary>
    private static bool IsIndexed(Table table, ForeignKey foreignKey)
    {
        // Runs for every foreign key of a large schema: sorted copies of a few names, no LINQ pipeline per index.
        var wanted = foreignKey.Columns.ToArray();
        Array.Sort(wanted, StringComparer.Ordinal);
        var leading = new string?[wanted.Length];
        bool Covers(System.Collections.Generic.IReadOnlyList<IndexKeyPart> parts)
        {
            if (parts.Count < wanted.Length)
            {
                return false;
            }

            for (var i = 0; i < wanted.Length; i++)
            {
                // An expression part has no column: such an index does not cover the key.
                if (parts[i].Column is not { } column)
                {
                    return false;
                }

                leading[i] = column;
            }

            Array.Sort(leading, StringComparer.Ordinal);
            for (var i = 0; i < wanted.Length; i++)
            {
                if (!string.Equals(leading[i], wanted[i], StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }

        if (table.PrimaryKey is { } key && Covers(key.Parts))
        {
            return true;
        }

        foreach (var index in table.Indexes)
        {
            if (index.Predicate is null && Covers(index.Parts))
            {
                return true;
            }
        }

        return false;
    }
}
