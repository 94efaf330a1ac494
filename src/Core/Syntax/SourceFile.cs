namespace SchemaBuild.Core.Syntax;

/// <summary>One schema file: the path used in diagnostics, and its text.</summary>
public sealed record SourceFile(string Path, string Text);
