using System;
using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Diff;

/// <summary>The changes inside one table that exists on both sides (possibly under a new name).</summary>
internal static class TableDiffer
{
    public static void Diff(Table from, Table to, StringComparer names, List<SchemaChange> changes)
    {
        DiffColumns(from, to, names, changes);

        var primaryKey = from.PrimaryKey;
        if (primaryKey is not null && to.PrimaryKey is not null && primaryKey.Name != to.PrimaryKey.Name && (primaryKey with { Name = to.PrimaryKey.Name }).Equals(to.PrimaryKey))
        {
            changes.Add(new RenameTableElement(to, TableElementKind.PrimaryKey, primaryKey.Name, to.PrimaryKey.Name));
            primaryKey = to.PrimaryKey;
        }

        if (!Equals(primaryKey, to.PrimaryKey))
        {
            changes.Add(new ChangePrimaryKey(to, from.PrimaryKey, to.PrimaryKey));
        }

        var indexes = Renames(from.Indexes, to.Indexes, i => i.Name, (i, n) => i with { Name = n }, names, TableElementKind.Index, to, changes);
        var foreignKeys = Renames(from.ForeignKeys, to.ForeignKeys, f => f.Name, (f, n) => f with { Name = n }, names, TableElementKind.ForeignKey, to, changes);
        var checks = Renames(from.Checks, to.Checks, c => c.Name, (c, n) => c with { Name = n }, names, TableElementKind.Check, to, changes);
        DiffNamed(indexes, to.Indexes, i => i.Name, names, i => new AddIndex(to, i), i => new DropIndex(from, i), changes);
        DiffNamed(foreignKeys, to.ForeignKeys, f => f.Name, names, f => new AddForeignKey(to, f), f => new DropForeignKey(from, f), changes);
        DiffNamed(checks, to.Checks, c => c.Name, names, c => new AddCheck(to, c), c => new DropCheck(from, c), changes);

        if (!Equals(from.Options, to.Options) || from.Comment != to.Comment)
        {
            changes.Add(new AlterTableOptions(from, to));
        }

        if (!Equals(from.Partitioning, to.Partitioning) || from.PartitionOf != to.PartitionOf || from.PartitionBound != to.PartitionBound || !from.Inherits.Equals(to.Inherits))
        {
            changes.Add(new ChangePartitioning(from, to));
        }
    }

    private static void DiffColumns(Table from, Table to, StringComparer names, List<SchemaChange> changes)
    {
        // Map each desired column to its baseline column: same name, or the renamed-from name.
        var matched = new Dictionary<Column, Column>();
        var taken = new HashSet<string>(names);
        foreach (var column in to.Columns)
        {
            var old = Find(from, column.Name, names);
            if (old is null && column.Annotations.RenamedFrom is { } previous && Find(to, previous, names) is null)
            {
                old = Find(from, previous, names);
                if (old is not null)
                {
                    changes.Add(new RenameColumn(to, old.Name, column));
                }
            }

            if (old is not null)
            {
                matched[column] = old;
                taken.Add(old.Name);
            }
        }

        foreach (var column in from.Columns.Where(c => !taken.Contains(c.Name)))
        {
            changes.Add(new DropColumn(from, column));
        }

        var existingCount = to.Columns.Count(matched.ContainsKey);
        var seenExisting = 0;
        for (var i = 0; i < to.Columns.Count; i++)
        {
            var column = to.Columns[i];
            if (matched.TryGetValue(column, out var old))
            {
                seenExisting++;
                var aspects = Compare(old, column);
                if (aspects != ColumnAspects.None)
                {
                    changes.Add(new AlterColumn(to, old, column, aspects));
                }

                continue;
            }

            changes.Add(new AddColumn(to, column, i, i == 0 ? null : to.Columns[i - 1].Name) { AtEnd = seenExisting == existingCount });
        }

        // Relative order of the columns both sides have.
        var oldOrder = from.Columns.Where(c => taken.Contains(c.Name)).Select(c => c.Name).ToList();
        var newOrder = to.Columns.Where(matched.ContainsKey).Select(c => matched[c].Name).ToList();
        if (!oldOrder.SequenceEqual(newOrder, names))
        {
            changes.Add(new ReorderColumns(from, to));
        }
    }

    private static Column? Find(Table table, string name, StringComparer names) =>
        table.Columns.FirstOrDefault(c => names.Equals(c.Name, name));

    private static ColumnAspects Compare(Column a, Column b)
    {
        var aspects = ColumnAspects.None;
        if (!a.Type.Equals(b.Type))
        {
            aspects |= ColumnAspects.Type;
        }

        if (a.Nullable != b.Nullable)
        {
            aspects |= ColumnAspects.Nullability;
        }

        if (!Equals(a.Default, b.Default))
        {
            aspects |= ColumnAspects.Default;
        }

        if (!Equals(a.Generated, b.Generated))
        {
            aspects |= ColumnAspects.Generated;
        }

        if (a.Charset != b.Charset || a.Collation != b.Collation)
        {
            aspects |= ColumnAspects.Charset;
        }

        if (a.Comment != b.Comment)
        {
            aspects |= ColumnAspects.Comment;
        }

        if (a.AutoIncrement != b.AutoIncrement)
        {
            aspects |= ColumnAspects.AutoIncrement;
        }

        if (!Equals(a.Identity, b.Identity))
        {
            aspects |= ColumnAspects.Identity;
        }

        if (a.OnUpdate != b.OnUpdate)
        {
            aspects |= ColumnAspects.OnUpdate;
        }

        if (a.Invisible != b.Invisible)
        {
            aspects |= ColumnAspects.Invisible;
        }

        return aspects;
    }

    /// <summary>
    /// Elements whose definition is the same under a new name become renames (one-to-one matches only);
    /// returns the old elements with those names already applied, for the add/drop comparison.
    /// </summary>
    private static List<T> Renames<T>(
        IReadOnlyList<T> from, IReadOnlyList<T> to, Func<T, string> key, Func<T, string, T> rename, StringComparer names,
        TableElementKind kind, Table table, List<SchemaChange> changes)
        where T : notnull
    {
        var result = from.ToList();
        var oldNames = new HashSet<string>(from.Select(key), names);
        var newNames = new HashSet<string>(to.Select(key), names);
        var candidates = to.Where(t => !oldNames.Contains(key(t))).ToList();
        for (var i = 0; i < result.Count; i++)
        {
            var old = result[i];
            if (newNames.Contains(key(old)))
            {
                continue;
            }

            var matches = candidates.Where(c => rename(old, key(c)).Equals(c)).ToList();
            if (matches.Count == 1 && from.Count(o => rename(o, key(matches[0])).Equals(matches[0])) == 1)
            {
                changes.Add(new RenameTableElement(table, kind, key(old), key(matches[0])));
                result[i] = matches[0];
                candidates.Remove(matches[0]);
            }
        }

        return result;
    }

    /// <summary>Named sub-objects: a changed definition is a drop plus an add (engines cannot alter them in place).</summary>
    private static void DiffNamed<T>(
        IEnumerable<T> from, IEnumerable<T> to, Func<T, string> key, StringComparer names,
        Func<T, SchemaChange> add, Func<T, SchemaChange> drop, List<SchemaChange> changes)
        where T : notnull
    {
        var before = NamedLookup.Create(from, key, names);
        var after = NamedLookup.Create(to, key, names);
        foreach (var item in from)
        {
            if (!after.TryGetValue(key(item), out var desired) || !desired.Equals(item))
            {
                changes.Add(drop(item));
            }
        }

        foreach (var item in to)
        {
            if (!before.TryGetValue(key(item), out var old) || !old.Equals(item))
            {
                changes.Add(add(item));
            }
        }
    }
}
