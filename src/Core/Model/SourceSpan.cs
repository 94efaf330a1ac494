using System;

namespace SchemaBuild.Core.Model;

/// <summary>
/// Where a model element was written: file, 1-based line and column, and character offsets.
/// A location describes the text, not the database, so every span compares equal to every
/// other span: two spellings of one schema still give equal models.
/// </summary>
public sealed class SourceSpan : IEquatable<SourceSpan>
{
    public static readonly SourceSpan None = new(string.Empty, 0, 0, 0, 0);

    public SourceSpan(string file, int line, int column, int start, int length)
    {
        File = file;
        Line = line;
        Column = column;
        Start = start;
        Length = length;
    }

    public string File { get; }

    /// <summary>1-based line; 0 when the element has no source (introspected, generated).</summary>
    public int Line { get; }

    /// <summary>1-based column.</summary>
    public int Column { get; }

    /// <summary>0-based character offset of the first character.</summary>
    public int Start { get; }

    public int Length { get; }

    public bool IsNone => Line == 0;

    public bool Equals(SourceSpan? other) => other is not null;

    public override bool Equals(object? obj) => obj is SourceSpan;

    public override int GetHashCode() => 0;

    public override string ToString() => IsNone ? "(no source)" : $"{File}({Line},{Column})";
}
