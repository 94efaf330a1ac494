namespace SchemaBuild.Core.Diagnostics;

/// <summary>How serious a diagnostic is; <see cref="Error"/> fails the build unless acknowledged.</summary>
public enum DiagnosticSeverity
{
    /// <summary>Reported nowhere (severity turned off with <c>none</c>).</summary>
    Hidden,
    Info,
    Warning,
    Error,
}
