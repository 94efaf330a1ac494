namespace SchemaBuild.Core.Diagnostics;

/// <summary>A diagnostic id with its default severity and one-line title (RULES.md).</summary>
public sealed record DiagnosticDescriptor(string Id, DiagnosticSeverity DefaultSeverity, string Category, string Title);
