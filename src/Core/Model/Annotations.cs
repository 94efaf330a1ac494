using System;

namespace SchemaBuild.Core.Model;

/// <summary>
/// The <c>-- schema:</c> annotations attached to one element. They steer diffing and rules
/// but say nothing about the database, so like <see cref="SourceSpan"/> they never make two
/// models unequal.
/// </summary>
public sealed class Annotations : IEquatable<Annotations>
{
    public static readonly Annotations None = new(null, null);

    public Annotations(string? renamedFrom, string? deprecated)
    {
        RenamedFrom = renamedFrom;
        Deprecated = deprecated;
    }

    /// <summary>The previous name, from <c>-- schema:renamed-from old_name</c>.</summary>
    public string? RenamedFrom { get; }

    /// <summary>The message of <c>-- schema:deprecated "message"</c>; null when not deprecated.</summary>
    public string? Deprecated { get; }

    public bool IsDeprecated => Deprecated is not null;

    public bool IsEmpty => RenamedFrom is null && Deprecated is null;

    public Annotations WithRenamedFrom(string? name) => new(name, Deprecated);

    public Annotations WithDeprecated(string? message) => new(RenamedFrom, message);

    public bool Equals(Annotations? other) => other is not null;

    public override bool Equals(object? obj) => obj is Annotations;

    public override int GetHashCode() => 0;

    public override string ToString() =>
        IsEmpty ? "(none)" : $"renamed-from={RenamedFrom ?? "-"} deprecated={Deprecated ?? "-"}";
}
