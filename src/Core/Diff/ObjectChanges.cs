using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Diff;

/// <summary>A new view.</summary>
public sealed record CreateView(View View) : SchemaChange
{
    public override string Kind => "create-view";

    public override string ObjectName => View.Name.ToString();

    public override SourceSpan Span => View.Span;
}

/// <summary>A view the desired schema no longer has.</summary>
public sealed record DropView(View View) : SchemaChange
{
    public override string Kind => "drop-view";

    public override string ObjectName => View.Name.ToString();

    public override bool IsContraction => true;
}

/// <summary>A view whose definition or options changed.</summary>
public sealed record ReplaceView(View From, View To) : SchemaChange
{
    public override string Kind => "replace-view";

    public override string ObjectName => To.Name.ToString();

    public override SourceSpan Span => To.Span;
}

/// <summary>A new PostgreSQL enum type.</summary>
public sealed record CreateEnumType(EnumType Type) : SchemaChange
{
    public override string Kind => "create-enum";

    public override string ObjectName => Type.Name.ToString();

    public override SourceSpan Span => Type.Span;
}

/// <summary>A PostgreSQL enum type the desired schema no longer has.</summary>
public sealed record DropEnumType(EnumType Type) : SchemaChange
{
    public override string Kind => "drop-enum";

    public override string ObjectName => Type.Name.ToString();

    public override bool IsContraction => true;
}

/// <summary>A PostgreSQL enum type whose labels changed.</summary>
public sealed record AlterEnumType(EnumType From, EnumType To) : SchemaChange
{
    public override string Kind => "alter-enum";

    public override string ObjectName => To.Name.ToString();

    public override SourceSpan Span => To.Span;
}

/// <summary>A new sequence.</summary>
public sealed record CreateSequence(Sequence Sequence) : SchemaChange
{
    public override string Kind => "create-sequence";

    public override string ObjectName => Sequence.Name.ToString();

    public override SourceSpan Span => Sequence.Span;
}

/// <summary>A sequence the desired schema no longer has.</summary>
public sealed record DropSequence(Sequence Sequence) : SchemaChange
{
    public override string Kind => "drop-sequence";

    public override string ObjectName => Sequence.Name.ToString();

    public override bool IsContraction => true;
}

/// <summary>A sequence whose options or owner changed.</summary>
public sealed record AlterSequence(Sequence From, Sequence To) : SchemaChange
{
    public override string Kind => "alter-sequence";

    public override string ObjectName => To.Name.ToString();

    public override SourceSpan Span => To.Span;
}

/// <summary>A new PostgreSQL schema.</summary>
public sealed record CreateNamespace(Namespace Namespace) : SchemaChange
{
    public override string Kind => "create-schema";

    public override string ObjectName => Namespace.Name;

    public override SourceSpan Span => Namespace.Span;
}

/// <summary>A PostgreSQL schema the desired model no longer has.</summary>
public sealed record DropNamespace(Namespace Namespace) : SchemaChange
{
    public override string Kind => "drop-schema";

    public override string ObjectName => Namespace.Name;

    public override bool IsContraction => true;
}

/// <summary>A PostgreSQL schema whose comment changed.</summary>
public sealed record AlterNamespace(Namespace From, Namespace To) : SchemaChange
{
    public override string Kind => "alter-schema";

    public override string ObjectName => To.Name;

    public override SourceSpan Span => To.Span;
}

/// <summary>A new PostgreSQL extension.</summary>
public sealed record CreateExtension(Extension Extension) : SchemaChange
{
    public override string Kind => "create-extension";

    public override string ObjectName => Extension.Name;

    public override SourceSpan Span => Extension.Span;
}

/// <summary>A PostgreSQL extension the desired model no longer has.</summary>
public sealed record DropExtension(Extension Extension) : SchemaChange
{
    public override string Kind => "drop-extension";

    public override string ObjectName => Extension.Name;

    public override bool IsContraction => true;
}

/// <summary>A verbatim statement (function, trigger, ...) added, removed or changed; compared as text.</summary>
public sealed record ChangeVerbatim(VerbatimStatement? From, VerbatimStatement? To) : SchemaChange
{
    public override string Kind => To is null ? "drop-verbatim" : From is null ? "create-verbatim" : "replace-verbatim";

    public override string ObjectName => (To ?? From)!.Name ?? (To ?? From)!.Kind;

    public override SourceSpan Span => To?.Span ?? SourceSpan.None;

    public override bool IsContraction => To is null;
}

/// <summary>An object's access list changed (GRANT/REVOKE); a null side is the server's default for the object's kind.</summary>
public sealed record ChangePrivileges(ObjectPrivileges? From, ObjectPrivileges? To) : SchemaChange
{
    public override string Kind => "change-privileges";

    public override string ObjectName => (To ?? From)!.Key;

    public override SourceSpan Span => To?.Span ?? SourceSpan.None;
}
