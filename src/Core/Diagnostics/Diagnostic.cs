using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Diagnostics;

/// <summary>
/// One finding: a stable id, a severity, a message that says what happened and what to do, the
/// object it is about (<c>table</c>, <c>table.column</c>, <c>table.index</c>) and where it was written.
/// </summary>
public sealed record Diagnostic(string Id, DiagnosticSeverity Severity, string Message)
{
    public SourceSpan Span { get; init; } = SourceSpan.None;

    /// <summary>The object the diagnostic is about, when there is one.</summary>
    public string? Object { get; init; }

    /// <summary>True when a <c>schema:allow</c> annotation acknowledges it.</summary>
    public bool Acknowledged { get; init; }

    /// <summary>The reason given by the acknowledging annotation.</summary>
    public string? Reason { get; init; }

    public static Diagnostic Create(DiagnosticDescriptor descriptor, string message, SourceSpan? span = null, string? objectName = null) =>
        new(descriptor.Id, descriptor.DefaultSeverity, message) { Span = span ?? SourceSpan.None, Object = objectName };

    /// <summary>MSBuild/compiler format: <c>path(line,col): error SB0001: message</c>.</summary>
    public override string ToString()
    {
        var severity = Severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            _ => "info",
        };
        var location = Span.IsNone ? string.Empty : Span + ": ";
        return $"{location}{severity} {Id}: {Message}";
    }
}
