using System;

namespace SchemaBuild.Core.Model;

/// <summary>
/// An expression or query exactly as the schema file (or the server's deparser) wrote it. The
/// canonical text next to it is for comparing; this text is what gets deployed, because canonical
/// text may drop what the server needs to read it the same way (a cast to an enum type, a keyword
/// argument). Like <see cref="SourceSpan"/> it describes the text, not the database, so it never
/// makes two models unequal. Snapshots and plan.json keep it with the other source details (ModelSerializer's includeSource).
/// </summary>
public sealed class WrittenSql : IEquatable<WrittenSql>
{
    /// <summary>Nothing written: the element was generated, introspected without text, or read from a snapshot.</summary>
    public static readonly WrittenSql None = new(string.Empty);

    public WrittenSql(string text) => Text = text;

    public string Text { get; }

    public bool IsNone => Text.Length == 0;

    /// <summary>The written text, or <paramref name="canonical"/> when nothing was written.</summary>
    public static string Or(WrittenSql written, string canonical) => written.IsNone ? canonical : written.Text;

    public bool Equals(WrittenSql? other) => other is not null;

    public override bool Equals(object? obj) => obj is WrittenSql;

    public override int GetHashCode() => 0;

    public override string ToString() => Text;
}
