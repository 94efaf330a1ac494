using System.Collections.Generic;
using System.Linq;

namespace SchemaBuild.Core.Diagnostics;

/// <summary>Every diagnostic id SchemaBuild reports (docs/RULES.md). An id never changes meaning.</summary>
public static class DiagnosticCatalog
{
    private const string Input = "Input";
    private const string Destructive = "Destructive";
    private const string Compatibility = "Compatibility";
    private const string DataDependent = "DataDependent";
    private const string Locking = "Locking";
    private const string Replication = "Replication";
    private const string Design = "Design";

    public static readonly DiagnosticDescriptor SyntaxError = new("SB0001", DiagnosticSeverity.Error, Input, "Syntax error");
    public static readonly DiagnosticDescriptor StatementNotAllowed = new("SB0002", DiagnosticSeverity.Error, Input, "Statement not allowed in a declarative schema file");
    public static readonly DiagnosticDescriptor DuplicateObject = new("SB0003", DiagnosticSeverity.Error, Input, "Object defined twice");
    public static readonly DiagnosticDescriptor UnresolvedReference = new("SB0004", DiagnosticSeverity.Error, Input, "Unresolved reference");
    public static readonly DiagnosticDescriptor BadAnnotation = new("SB0005", DiagnosticSeverity.Error, Input, "Malformed or dangling annotation");
    public static readonly DiagnosticDescriptor BadBaseline = new("SB0006", DiagnosticSeverity.Error, Input, "Baseline missing, unreadable, or of another dialect");
    public static readonly DiagnosticDescriptor NotModelled = new("SB0007", DiagnosticSeverity.Warning, Input, "Construct parsed but not modelled (kept verbatim, compared as text)");
    public static readonly DiagnosticDescriptor StatementIgnored = new("SB0010", DiagnosticSeverity.Info, Input, "Statement ignored: it only prepares a clean load (DROP ... IF EXISTS, SET, LOCK TABLES)");

    public static readonly DiagnosticDescriptor TableDropped = new("SB1001", DiagnosticSeverity.Error, Destructive, "Table dropped");
    public static readonly DiagnosticDescriptor ColumnDropped = new("SB1002", DiagnosticSeverity.Error, Destructive, "Column dropped");
    public static readonly DiagnosticDescriptor LossyTypeChange = new("SB1003", DiagnosticSeverity.Error, Destructive, "Lossy type change");
    public static readonly DiagnosticDescriptor SchemaDropped = new("SB1004", DiagnosticSeverity.Error, Destructive, "Schema dropped");
    public static readonly DiagnosticDescriptor EnumValueRemoved = new("SB1005", DiagnosticSeverity.Error, Destructive, "ENUM/SET value or enum label removed");

    public static readonly DiagnosticDescriptor TableRenamed = new("SB2001", DiagnosticSeverity.Error, Compatibility, "Table renamed");
    public static readonly DiagnosticDescriptor ColumnRenamed = new("SB2002", DiagnosticSeverity.Error, Compatibility, "Column renamed");
    public static readonly DiagnosticDescriptor NotNullWithoutDefault = new("SB2003", DiagnosticSeverity.Error, Compatibility, "NOT NULL column without default added to an existing table");
    public static readonly DiagnosticDescriptor MadeNotNull = new("SB2004", DiagnosticSeverity.Error, Compatibility, "Nullable column made NOT NULL");
    public static readonly DiagnosticDescriptor ViewBroken = new("SB2005", DiagnosticSeverity.Error, Compatibility, "View dropped, or a column removed from a view");
    public static readonly DiagnosticDescriptor DefaultRemoved = new("SB2006", DiagnosticSeverity.Warning, Compatibility, "Default removed from a NOT NULL column");

    public static readonly DiagnosticDescriptor UniqueAdded = new("SB3001", DiagnosticSeverity.Warning, DataDependent, "Unique index or constraint added over existing columns");
    public static readonly DiagnosticDescriptor CheckAdded = new("SB3002", DiagnosticSeverity.Warning, DataDependent, "CHECK constraint added to an existing table");
    public static readonly DiagnosticDescriptor ForeignKeyAdded = new("SB3003", DiagnosticSeverity.Warning, DataDependent, "Foreign key added to an existing table");
    public static readonly DiagnosticDescriptor ConversionMayFail = new("SB3004", DiagnosticSeverity.Warning, DataDependent, "Type change needs a value conversion that may fail");

    public static readonly DiagnosticDescriptor GhostCopyPlanned = new("SB4001", DiagnosticSeverity.Info, Locking, "Change needs a table copy: planned as ghost copy");
    public static readonly DiagnosticDescriptor NoKeyToCopyAlong = new("SB4002", DiagnosticSeverity.Error, Locking, "Change needs a copy but the table has no primary key or non-null unique key");
    public static readonly DiagnosticDescriptor IndexConcurrently = new("SB4003", DiagnosticSeverity.Info, Locking, "Index planned CONCURRENTLY");
    public static readonly DiagnosticDescriptor NotValidValidate = new("SB4004", DiagnosticSeverity.Info, Locking, "Constraint planned NOT VALID + VALIDATE");
    public static readonly DiagnosticDescriptor NotNullViaCheck = new("SB4005", DiagnosticSeverity.Info, Locking, "SET NOT NULL planned via a validated CHECK");
    public static readonly DiagnosticDescriptor VolatileDefault = new("SB4006", DiagnosticSeverity.Warning, Locking, "ADD COLUMN with a volatile default planned as add + backfill");
    public static readonly DiagnosticDescriptor NoOnlineStrategy = new("SB4007", DiagnosticSeverity.Error, Locking, "No online strategy exists for this change on this engine and version");
    public static readonly DiagnosticDescriptor GhostCopyForeignKey = new("SB4009", DiagnosticSeverity.Error, Locking, "Ghost copy of a table whose foreign keys cannot be moved safely in the cutover");
    public static readonly DiagnosticDescriptor GhostCopyReplicaIdentity = new("SB4010", DiagnosticSeverity.Error, Locking, "PostgreSQL ghost copy of a table whose replica identity does not cover the copy key");
    public static readonly DiagnosticDescriptor GhostCopyDependent = new("SB4011", DiagnosticSeverity.Error, Locking, "PostgreSQL ghost copy of a table with a dependent the cutover cannot carry across");
    public static readonly DiagnosticDescriptor ColumnAppended = new("SB4008", DiagnosticSeverity.Info, Locking, "Column order kept by the engine: new columns appended (PostgreSQL)");

    public static readonly DiagnosticDescriptor ColumnNotAtEnd = new("SB5001", DiagnosticSeverity.Error, Replication, "Column added anywhere but at the end");
    public static readonly DiagnosticDescriptor ColumnsReordered = new("SB5002", DiagnosticSeverity.Error, Replication, "Existing columns reordered");
    public static readonly DiagnosticDescriptor NeedsTypeConversions = new("SB5003", DiagnosticSeverity.Warning, Replication, "Type change that replicas apply only with slave_type_conversions");
    public static readonly DiagnosticDescriptor NoPrimaryKeyReplication = new("SB5004", DiagnosticSeverity.Warning, Replication, "Table without primary key");
    public static readonly DiagnosticDescriptor NonDeterministic = new("SB5005", DiagnosticSeverity.Error, Replication, "Non-deterministic expression that replicas may evaluate differently");
    public static readonly DiagnosticDescriptor EnumReordered = new("SB5006", DiagnosticSeverity.Error, Replication, "ENUM/SET values reordered or inserted before existing ones");

    public static readonly DiagnosticDescriptor NoPrimaryKey = new("SB6001", DiagnosticSeverity.Warning, Design, "Table without primary key");
    public static readonly DiagnosticDescriptor ForeignKeyWithoutIndex = new("SB6002", DiagnosticSeverity.Warning, Design, "Foreign key without an index on the referencing columns");
    public static readonly DiagnosticDescriptor IdentifierTooLong = new("SB6003", DiagnosticSeverity.Error, Design, "Identifier longer than the engine allows");
    public static readonly DiagnosticDescriptor Utf8mb3 = new("SB6004", DiagnosticSeverity.Warning, Design, "utf8/utf8mb3 character set");
    public static readonly DiagnosticDescriptor FloatForMoney = new("SB6005", DiagnosticSeverity.Warning, Design, "Floating-point type for a money column");
    public static readonly DiagnosticDescriptor TimestampWithoutTimeZone = new("SB6006", DiagnosticSeverity.Warning, Design, "timestamp without time zone");
    public static readonly DiagnosticDescriptor PrimaryKeyMayOverflow = new("SB6007", DiagnosticSeverity.Info, Design, "Integer primary key that may overflow");

    public static IReadOnlyList<DiagnosticDescriptor> All { get; } = typeof(DiagnosticCatalog)
        .GetFields()
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .OrderBy(d => d.Id, System.StringComparer.Ordinal)
        .ToList();

    public static DiagnosticDescriptor? Find(string id) => All.FirstOrDefault(d => d.Id == id);
}
