using System;
using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Diff;

/// <summary>
/// Compares two normalized models and lists typed changes. Objects are matched by name; a rename
/// is recognised only from a <c>-- schema:renamed-from</c> annotation — the differ never guesses,
/// so an unannotated rename is a drop plus a create (and the rules call the drop out).
/// </summary>
public static class SchemaDiffer
{
    public static ChangeSet Diff(Schema from, Schema to)
    {
        if (from.Dialect != to.Dialect)
        {
            throw new ArgumentException($"cannot compare a {from.Dialect} model with a {to.Dialect} model");
        }

        var changes = new List<SchemaChange>();
        var names = NameComparer(to.Dialect);

        DiffByName(from.Namespaces, to.Namespaces, n => n.Name, StringComparer.Ordinal,
            n => new CreateNamespace(n), n => new DropNamespace(n), (a, b) => changes.Add(new AlterNamespace(a, b)), changes);
        DiffByName(from.Extensions, to.Extensions, e => e.Name, StringComparer.Ordinal,
            e => new CreateExtension(e), e => new DropExtension(e), (a, b) => { changes.Add(new DropExtension(a)); changes.Add(new CreateExtension(b)); }, changes);
        DiffByName(from.EnumTypes, to.EnumTypes, e => e.Name.ToString(), StringComparer.Ordinal,
            e => new CreateEnumType(e), e => new DropEnumType(e), (a, b) => changes.Add(new AlterEnumType(a, b)), changes);
        DiffByName(from.Sequences, to.Sequences, s => s.Name.ToString(), StringComparer.Ordinal,
            s => new CreateSequence(s), s => new DropSequence(s), (a, b) => changes.Add(new AlterSequence(a, b)), changes);
        DiffTables(from, to, names, changes);
        DiffByName(from.Views, to.Views, v => v.Name.ToString(), StringComparer.Ordinal,
            v => new CreateView(v), v => new DropView(v), (a, b) => changes.Add(new ReplaceView(a, b)), changes);
        DiffVerbatim(from, to, changes);
        var exists = Existing(to);
        DiffByName(from.Privileges, to.Privileges, p => p.Key, StringComparer.Ordinal,
            p => new ChangePrivileges(null, p), p => exists(p) ? new ChangePrivileges(p, null) : null, (a, b) => changes.Add(new ChangePrivileges(a, b)), changes);

        return new ChangeSet(from, to, changes.ToEquatableList());
    }

    /// <summary>MySQL compares column and index names without case; PostgreSQL names are exact (already folded).</summary>
    internal static StringComparer NameComparer(DialectKind dialect) =>
        dialect == DialectKind.Postgres ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;

    private static void DiffByName<T>(
        IEnumerable<T> from, IEnumerable<T> to, Func<T, string> key, StringComparer comparer,
        Func<T, SchemaChange> create, Func<T, SchemaChange?> drop, Action<T, T> alter, List<SchemaChange> changes)
        where T : notnull
    {
        var before = NamedLookup.Create(from, key, comparer);
        var after = NamedLookup.Create(to, key, comparer);
        foreach (var item in from.Where(i => !after.ContainsKey(key(i))))
        {
            if (drop(item) is { } change)
            {
                changes.Add(change);
            }
        }

        foreach (var item in to)
        {
            if (!before.TryGetValue(key(item), out var old))
            {
                changes.Add(create(item));
            }
            else if (!old.Equals(item))
            {
                alter(old, item);
            }
        }
    }

    private static void DiffTables(Schema from, Schema to, StringComparer names, List<SchemaChange> changes)
    {
        var before = NamedLookup.Create(from.Tables, t => t.Name.ToString(), StringComparer.Ordinal);
        var desired = new HashSet<QualifiedName>(to.Tables.Select(t => t.Name));
        var renamedAway = new HashSet<QualifiedName>();
        var pairs = new List<(Table Old, Table New)>();

        foreach (var table in to.Tables)
        {
            if (before.TryGetValue(table.Name.ToString(), out var old))
            {
                pairs.Add((old, table));
                continue;
            }

            var renamedFrom = table.Annotations.RenamedFrom is { } previous ? Resolve(table.Name, previous) : null;
            if (renamedFrom is not null && before.TryGetValue(renamedFrom.ToString(), out var original) && !desired.Contains(renamedFrom))
            {
                changes.Add(new RenameTable(renamedFrom, table));
                renamedAway.Add(renamedFrom);
                pairs.Add((original, table));
            }
            else
            {
                changes.Add(new CreateTable(table));
            }
        }

        foreach (var table in from.Tables.Where(t => !desired.Contains(t.Name) && !renamedAway.Contains(t.Name)))
        {
            changes.Add(new DropTable(table));
        }

        foreach (var (old, table) in pairs)
        {
            if (!ReferenceEquals(old, table) && !old.Equals(table))
            {
                TableDiffer.Diff(old, table, names, changes);
            }
        }
    }

    /// <summary>An access list only changes with its object: a dropped object takes its grants with it.</summary>
    private static Func<ObjectPrivileges, bool> Existing(Schema schema)
    {
        var namespaces = new HashSet<string>(schema.Namespaces.Select(n => n.Name), StringComparer.Ordinal) { "public" };
        var sequences = new HashSet<QualifiedName>(schema.Sequences.Select(s => s.Name));
        return privileges => privileges.ObjectKind switch
        {
            "SCHEMA" => namespaces.Contains(privileges.Object.Name),
            "SEQUENCE" => sequences.Contains(privileges.Object),
            _ => schema.FindTable(privileges.Object) is not null || schema.FindView(privileges.Object) is not null,
        };
    }

    /// <summary>A renamed-from name without a schema stays in the table's schema.</summary>
    private static QualifiedName Resolve(QualifiedName current, string previous)
    {
        var dot = previous.IndexOf('.');
        return dot > 0 ? new QualifiedName(previous.Substring(0, dot), previous.Substring(dot + 1)) : new QualifiedName(current.Schema, previous);
    }

    private static void DiffVerbatim(Schema from, Schema to, List<SchemaChange> changes)
    {
        foreach (var statement in from.Verbatim.Where(s => !to.Verbatim.Contains(s)))
        {
            var replacement = statement.Name is null ? null : to.Verbatim.FirstOrDefault(s => s.Name == statement.Name && s.Kind == statement.Kind && !from.Verbatim.Contains(s));
            changes.Add(new ChangeVerbatim(statement, replacement));
        }

        foreach (var statement in to.Verbatim.Where(s => !from.Verbatim.Contains(s)))
        {
            var replaced = statement.Name is not null && from.Verbatim.Any(s => s.Name == statement.Name && s.Kind == statement.Kind && !to.Verbatim.Contains(s));
            if (!replaced)
            {
                changes.Add(new ChangeVerbatim(null, statement));
            }
        }
    }
}
