using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Diff;

/// <summary>A new index (or PostgreSQL unique constraint) on an existing or new table.</summary>
public sealed record AddIndex(Table Table, Index Index) : SchemaChange
{
    public override string Kind => "add-index";

    public override string ObjectName => Table.Name + "." + Index.Name;

    public override QualifiedName? TableName => Table.Name;

    public override SourceSpan Span => Index.Span;
}

/// <summary>An index the desired schema no longer has (a changed index is a drop plus an add).</summary>
public sealed record DropIndex(Table Table, Index Index) : SchemaChange
{
    public override string Kind => "drop-index";

    public override string ObjectName => Table.Name + "." + Index.Name;

    public override QualifiedName? TableName => Table.Name;

    public override bool IsContraction => true;
}

/// <summary>The primary key was added, removed or changed (<see cref="From"/>/<see cref="To"/> null when absent).</summary>
public sealed record ChangePrimaryKey(Table Table, PrimaryKey? From, PrimaryKey? To) : SchemaChange
{
    public override string Kind => "change-primary-key";

    public override string ObjectName => Table.Name.ToString();

    public override QualifiedName? TableName => Table.Name;

    public override SourceSpan Span => To?.Span ?? SourceSpan.None;
}

/// <summary>A new foreign key.</summary>
public sealed record AddForeignKey(Table Table, ForeignKey ForeignKey) : SchemaChange
{
    public override string Kind => "add-foreign-key";

    public override string ObjectName => Table.Name + "." + ForeignKey.Name;

    public override QualifiedName? TableName => Table.Name;

    public override SourceSpan Span => ForeignKey.Span;
}

/// <summary>A foreign key that the desired schema no longer has.</summary>
public sealed record DropForeignKey(Table Table, ForeignKey ForeignKey) : SchemaChange
{
    public override string Kind => "drop-foreign-key";

    public override string ObjectName => Table.Name + "." + ForeignKey.Name;

    public override QualifiedName? TableName => Table.Name;

    public override bool IsContraction => true;
}

/// <summary>A new CHECK constraint.</summary>
public sealed record AddCheck(Table Table, CheckConstraint Check) : SchemaChange
{
    public override string Kind => "add-check";

    public override string ObjectName => Table.Name + "." + Check.Name;

    public override QualifiedName? TableName => Table.Name;

    public override SourceSpan Span => Check.Span;
}

/// <summary>A CHECK constraint that the desired schema no longer has.</summary>
public sealed record DropCheck(Table Table, CheckConstraint Check) : SchemaChange
{
    public override string Kind => "drop-check";

    public override string ObjectName => Table.Name + "." + Check.Name;

    public override QualifiedName? TableName => Table.Name;

    public override bool IsContraction => true;
}

/// <summary>The kinds of named table elements.</summary>
public enum TableElementKind
{
    PrimaryKey,
    Index,
    ForeignKey,
    Check,
}

/// <summary>
/// A key, index or constraint whose definition is unchanged but whose name changed — typically the
/// implicit names that follow a table rename (<c>users_pkey</c> → <c>accounts_pkey</c>).
/// </summary>
public sealed record RenameTableElement(Table Table, TableElementKind Element, string From, string To) : SchemaChange
{
    public override string Kind => Element == TableElementKind.Index ? "rename-index" : "rename-constraint";

    public override string ObjectName => Table.Name + "." + To;

    public override QualifiedName? TableName => Table.Name;

    public override SourceSpan Span => Table.Span;
}
