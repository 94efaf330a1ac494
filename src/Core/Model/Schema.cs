using System;
using System.Linq;

namespace SchemaBuild.Core.Model;

/// <summary>
/// The root of a model: everything one set of schema files (or one live database) declares.
/// Immutable; two models are equal when they mean the same database, whatever their spelling,
/// source locations, annotations or allowances.
/// </summary>
public sealed record Schema(DialectKind Dialect)
{
    public EquatableList<Namespace> Namespaces { get; init; } = EquatableList<Namespace>.Empty;

    public EquatableList<Extension> Extensions { get; init; } = EquatableList<Extension>.Empty;

    public EquatableList<EnumType> EnumTypes { get; init; } = EquatableList<EnumType>.Empty;

    public EquatableList<Sequence> Sequences { get; init; } = EquatableList<Sequence>.Empty;

    public EquatableList<Table> Tables { get; init; } = EquatableList<Table>.Empty;

    public EquatableList<View> Views { get; init; } = EquatableList<View>.Empty;

    /// <summary>Statements kept verbatim (SB0007), in source order.</summary>
    public EquatableList<VerbatimStatement> Verbatim { get; init; } = EquatableList<VerbatimStatement>.Empty;

    /// <summary><c>schema:allow</c> annotations of the source files; not part of equality.</summary>
    public EquatableList<Allowance> Allowances { get; init; } = EquatableList<Allowance>.Empty;

    public Table? FindTable(QualifiedName name) => Tables.FirstOrDefault(t => t.Name == name);

    public View? FindView(QualifiedName name) => Views.FirstOrDefault(v => v.Name == name);

    public bool Equals(Schema? other) =>
        other is not null
        && Dialect == other.Dialect
        && Namespaces.Equals(other.Namespaces)
        && Extensions.Equals(other.Extensions)
        && EnumTypes.Equals(other.EnumTypes)
        && Sequences.Equals(other.Sequences)
        && Tables.Equals(other.Tables)
        && Views.Equals(other.Views)
        && VerbatimOrder.Sorted(Verbatim).SequenceEqual(VerbatimOrder.Sorted(other.Verbatim));

    public override int GetHashCode() =>
        ((int)Dialect * 397) ^ Tables.GetHashCode() ^ (Views.GetHashCode() * 7) ^ (Sequences.GetHashCode() * 13);
}
