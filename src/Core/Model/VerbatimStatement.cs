namespace SchemaBuild.Core.Model;

/// <summary>
/// A valid statement SchemaBuild does not model (function, trigger, procedure, grant): kept
/// verbatim with whitespace and comments folded, compared as text (diagnostic SB0007).
/// </summary>
public sealed record VerbatimStatement(string Kind, string Text)
{
    /// <summary>The object's name where one could be read.</summary>
    public string? Name { get; init; }

    public SourceSpan Span { get; init; } = SourceSpan.None;
}
