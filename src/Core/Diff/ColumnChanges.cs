using System;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Diff;

/// <summary>A column added to an existing table, at <see cref="Position"/> (0-based) after <see cref="After"/>.</summary>
public sealed record AddColumn(Table Table, Column Column, int Position, string? After) : SchemaChange
{
    public override string Kind => "add-column";

    public override string ObjectName => Table.Name + "." + Column.Name;

    public override QualifiedName? TableName => Table.Name;

    public override SourceSpan Span => Column.Span;

    /// <summary>True when the column goes after every existing column (the only binlog-safe place).</summary>
    public bool AtEnd { get; init; } = true;
}

/// <summary>A column removed from an existing table.</summary>
public sealed record DropColumn(Table Table, Column Column) : SchemaChange
{
    public override string Kind => "drop-column";

    public override string ObjectName => Table.Name + "." + Column.Name;

    public override QualifiedName? TableName => Table.Name;

    public override bool IsContraction => true;
}

/// <summary>A column renamed by <c>-- schema:renamed-from</c>; other changes to it are separate changes.</summary>
public sealed record RenameColumn(Table Table, string From, Column Column) : SchemaChange
{
    public override string Kind => "rename-column";

    public override string ObjectName => Table.Name + "." + Column.Name;

    public override QualifiedName? TableName => Table.Name;

    public override SourceSpan Span => Column.Span;
}

/// <summary>What changed about a column.</summary>
[Flags]
public enum ColumnAspects
{
    None = 0,
    Type = 1,
    Nullability = 2,
    Default = 4,
    Generated = 8,
    Charset = 16,
    Comment = 32,
    AutoIncrement = 64,
    Identity = 128,
    OnUpdate = 256,
    Invisible = 512,
}

/// <summary>An existing column whose definition changed; <see cref="Aspects"/> says what.</summary>
public sealed record AlterColumn(Table Table, Column From, Column To, ColumnAspects Aspects) : SchemaChange
{
    public override string Kind => "alter-column";

    public override string ObjectName => Table.Name + "." + To.Name;

    public override QualifiedName? TableName => Table.Name;

    public override SourceSpan Span => To.Span;

    public bool Changes(ColumnAspects aspect) => (Aspects & aspect) != 0;
}

/// <summary>The relative order of existing columns changed.</summary>
public sealed record ReorderColumns(Table From, Table To) : SchemaChange
{
    public override string Kind => "reorder-columns";

    public override string ObjectName => To.Name.ToString();

    public override QualifiedName? TableName => To.Name;

    public override SourceSpan Span => To.Span;
}
