namespace SchemaBuild.Core.Model;

/// <summary>A PostgreSQL enum type; labels in declaration order (their order is the sort order).</summary>
public sealed record EnumType(QualifiedName Name, EquatableList<string> Labels)
{
    public string? Comment { get; init; }

    public SourceSpan Span { get; init; } = SourceSpan.None;

    public Annotations Annotations { get; init; } = Annotations.None;
}
