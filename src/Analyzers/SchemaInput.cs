namespace SchemaBuild.Analyzers;

/// <summary>One AdditionalFile SchemaBuild reads: its path, text and role. Equatable, so generator steps cache.</summary>
public sealed record SchemaInput(string Path, string Text, SchemaFileRole Role);
