using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;

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

    /// <summary>Access lists that differ from the server's defaults (PostgreSQL GRANT/REVOKE), sorted by <see cref="ObjectPrivileges.Key"/>.</summary>
    public EquatableList<ObjectPrivileges> Privileges { get; init; } = EquatableList<ObjectPrivileges>.Empty;

    /// <summary>Statements kept verbatim (SB0007), in source order.</summary>
    public EquatableList<VerbatimStatement> Verbatim { get; init; } = EquatableList<VerbatimStatement>.Empty;

    /// <summary><c>schema:allow</c> annotations of the source files; not part of equality.</summary>
    public EquatableList<Allowance> Allowances { get; init; } = EquatableList<Allowance>.Empty;

    // Lookups by name go through an index built once per list instance (the lists are immutable), so the many lookups of
    // validation, diff, planning and rules stay linear on schemas of many thousand tables. Kept outside the record: a field
    // would take part in equality and be copied by `with`.
    private static readonly ConditionalWeakTable<EquatableList<Table>, Dictionary<QualifiedName, Table>> TableIndex = new();
    private static readonly ConditionalWeakTable<EquatableList<View>, Dictionary<QualifiedName, View>> ViewIndex = new();

    public Table? FindTable(QualifiedName name) => Index(TableIndex, Tables, t => t.Name).TryGetValue(name, out var table) ? table : null;

    public View? FindView(QualifiedName name) => Index(ViewIndex, Views, v => v.Name).TryGetValue(name, out var view) ? view : null;

    private static Dictionary<QualifiedName, T> Index<T>(ConditionalWeakTable<EquatableList<T>, Dictionary<QualifiedName, T>> indexes, EquatableList<T> items, Func<T, QualifiedName> name) =>
        indexes.GetValue(items, list =>
        {
            var index = new Dictionary<QualifiedName, T>();
            foreach (var item in list)
            {
                // The first of two same-named items wins, as a linear search would find it.
                if (!index.ContainsKey(name(item)))
                {
                    index.Add(name(item), item);
                }
            }

            return index;
        });

    public bool Equals(Schema? other) =>
        other is not null
        && Dialect == other.Dialect
        && Namespaces.Equals(other.Namespaces)
        && Extensions.Equals(other.Extensions)
        && EnumTypes.Equals(other.EnumTypes)
        && Sequences.Equals(other.Sequences)
        && Tables.Equals(other.Tables)
        && Views.Equals(other.Views)
        && Privileges.Equals(other.Privileges)
        && VerbatimOrder.Sorted(Verbatim).SequenceEqual(VerbatimOrder.Sorted(other.Verbatim));

    public override int GetHashCode() =>
        ((int)Dialect * 397) ^ Tables.GetHashCode() ^ (Views.GetHashCode() * 7) ^ (Sequences.GetHashCode() * 13);
}
