using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Syntax;

/// <summary>
/// One parsed annotation. <see cref="Argument"/> is the old name (renamed-from), the message
/// (deprecated) or the diagnostic id (allow); allow also has <see cref="Target"/> and <see cref="Reason"/>.
/// </summary>
public sealed record Annotation(AnnotationKind Kind, string Argument, SourceSpan Span, bool OwnLine)
{
    public string? Target { get; init; }

    public string? Reason { get; init; }
}
