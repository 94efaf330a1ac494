using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Diff;

/// <summary>A new table.</summary>
public sealed record CreateTable(Table Table) : SchemaChange
{
    public override string Kind => "create-table";

    public override string ObjectName => Table.Name.ToString();

    public override QualifiedName? TableName => Table.Name;

    public override SourceSpan Span => Table.Span;
}

/// <summary>A table that the desired schema no longer has.</summary>
public sealed record DropTable(Table Table) : SchemaChange
{
    public override string Kind => "drop-table";

    public override string ObjectName => Table.Name.ToString();

    public override QualifiedName? TableName => Table.Name;

    public override bool IsContraction => true;
}

/// <summary>A table renamed by <c>-- schema:renamed-from</c>.</summary>
public sealed record RenameTable(QualifiedName From, Table Table) : SchemaChange
{
    public override string Kind => "rename-table";

    public override string ObjectName => Table.Name.ToString();

    public override QualifiedName? TableName => Table.Name;

    public override SourceSpan Span => Table.Span;
}

/// <summary>Engine, charset, collation, row format, comment or other table options changed.</summary>
public sealed record AlterTableOptions(Table From, Table To) : SchemaChange
{
    public override string Kind => "alter-table-options";

    public override string ObjectName => To.Name.ToString();

    public override QualifiedName? TableName => To.Name;

    public override SourceSpan Span => To.Span;
}

/// <summary>
/// A table's partitioning changed (<see cref="Table.Partitioning"/>; on PostgreSQL also
/// <see cref="Table.PartitionOf"/> with its bound, or <see cref="Table.Inherits"/>).
/// </summary>
public sealed record ChangePartitioning(Table From, Table To) : SchemaChange
{
    public override string Kind => "change-partitioning";

    public override string ObjectName => To.Name.ToString();

    public override QualifiedName? TableName => To.Name;

    public override SourceSpan Span => To.Span;
}
