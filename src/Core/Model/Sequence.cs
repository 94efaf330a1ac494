namespace SchemaBuild.Core.Model;

/// <summary>A sequence (PostgreSQL <c>CREATE SEQUENCE</c>, or the one behind a <c>serial</c> column).</summary>
public sealed record Sequence(QualifiedName Name)
{
    public SequenceOptions Options { get; init; } = new();

    /// <summary><c>OWNED BY table.column</c>, as <c>table.column</c> with the table qualified.</summary>
    public string? OwnedBy { get; init; }

    public string? Comment { get; init; }

    public SourceSpan Span { get; init; } = SourceSpan.None;

    public Annotations Annotations { get; init; } = Annotations.None;
}
