namespace SchemaBuild.Core.Model;

/// <summary>A PostgreSQL schema (<c>CREATE SCHEMA</c>). Named Namespace to keep it apart from the model root.</summary>
public sealed record Namespace(string Name)
{
    public string? Comment { get; init; }

    public SourceSpan Span { get; init; } = SourceSpan.None;

    public Annotations Annotations { get; init; } = Annotations.None;
}
