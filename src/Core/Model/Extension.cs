namespace SchemaBuild.Core.Model;

/// <summary>A PostgreSQL extension (<c>CREATE EXTENSION</c>).</summary>
public sealed record Extension(string Name)
{
    /// <summary>The schema it is installed in, when given.</summary>
    public string? Schema { get; init; }

    public string? Version { get; init; }

    public SourceSpan Span { get; init; } = SourceSpan.None;
}
