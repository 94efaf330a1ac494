namespace SchemaBuild.Core.Model;

/// <summary>A table's primary key. MySQL names it <c>PRIMARY</c>; PostgreSQL <c>table_pkey</c> unless named.</summary>
public sealed record PrimaryKey(string Name, EquatableList<IndexKeyPart> Parts)
{
    /// <summary>PostgreSQL <c>INCLUDE</c> columns.</summary>
    public EquatableList<string> Include { get; init; } = EquatableList<string>.Empty;

    /// <summary>MySQL index comment.</summary>
    public string? Comment { get; init; }

    public SourceSpan Span { get; init; } = SourceSpan.None;
}
