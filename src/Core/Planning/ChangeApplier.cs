using System;
using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Diff;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Planning;

/// <summary>
/// Applies typed changes to an in-memory model. The plan is validated by applying its steps in
/// order and comparing the result with the target, so an order or grouping mistake is caught at
/// build time rather than by the server at deploy time.
/// </summary>
public static class ChangeApplier
{
    public static Schema Apply(Schema schema, SchemaChange change)
    {
        var names = SchemaDiffer.NameComparer(schema.Dialect);
        if (TableUpdate(change, names) is { } update)
        {
            return UpdateTable(schema, update.Table, update.Update);
        }

        switch (change)
        {
            case CreateTable c:
                return AddTables(schema, new[] { c.Table });
            case DropTable c:
                return schema with { Tables = Without(schema.Tables, t => t.Name == c.Table.Name) };
            case RenameTable c:
                var renamed = UpdateTable(schema, c.From, t => t with { Name = c.Table.Name });
                return renamed with { Tables = Sorted(renamed.Tables, t => t.Name.ToString()) };
            case CreateView c:
                return schema with { Views = Sorted(schema.Views.Add(c.View), v => v.Name.ToString()) };
            case DropView c:
                return schema with { Views = Without(schema.Views, v => v.Name == c.View.Name) };
            case ReplaceView c:
                return schema with { Views = Replace(schema.Views, v => v.Name == c.To.Name, _ => c.To) };
            case CreateEnumType c:
                return schema with { EnumTypes = Sorted(schema.EnumTypes.Add(c.Type), e => e.Name.ToString()) };
            case DropEnumType c:
                return schema with { EnumTypes = Without(schema.EnumTypes, e => e.Name == c.Type.Name) };
            case AlterEnumType c:
                return schema with { EnumTypes = Replace(schema.EnumTypes, e => e.Name == c.To.Name, _ => c.To) };
            case CreateSequence c:
                return AddSequences(schema, new List<Sequence> { c.Sequence });
            case DropSequence c:
                return schema with { Sequences = Without(schema.Sequences, s => s.Name == c.Sequence.Name) };
            case AlterSequence c:
                return schema with { Sequences = Replace(schema.Sequences, s => s.Name == c.To.Name, _ => c.To) };
            case CreateNamespace c:
                return schema with { Namespaces = Sorted(schema.Namespaces.Add(c.Namespace), n => n.Name) };
            case DropNamespace c:
                return schema with { Namespaces = Without(schema.Namespaces, n => n.Name == c.Namespace.Name) };
            case AlterNamespace c:
                return schema with { Namespaces = Replace(schema.Namespaces, n => n.Name == c.To.Name, _ => c.To) };
            case CreateExtension c:
                return schema with { Extensions = Sorted(schema.Extensions.Add(c.Extension), e => e.Name) };
            case DropExtension c:
                return schema with { Extensions = Without(schema.Extensions, e => e.Name == c.Extension.Name) };
            case ChangeVerbatim c:
                var kept = c.From is null ? schema.Verbatim : Without(schema.Verbatim, v => v.Equals(c.From));
                return schema with { Verbatim = c.To is null ? kept : kept.Add(c.To) };
            case ChangePrivileges c:
                var others = Without(schema.Privileges, p => p.Key == (c.To ?? c.From)!.Key);
                return schema with { Privileges = c.To is null ? others : Sorted(others.Add(c.To), p => p.Key) };
            default:
                throw new ArgumentException($"no way to apply a {change.Kind} change", nameof(change));
        }
    }

    /// <summary>
    /// A change inside one table (columns, indexes, keys, checks, options) as the table it changes and the update of that
    /// table; null for any other change. Lets a caller that keeps its own table index apply it without copying the table list.
    /// </summary>
    internal static (QualifiedName Table, Func<Table, Table> Update)? TableUpdate(SchemaChange change, StringComparer names)
    {
        switch (change)
        {
            case AlterTableOptions c:
                return (c.To.Name, t => t with { Options = c.To.Options, Comment = c.To.Comment });
            case ChangePartitioning c:
                return (c.To.Name, t => t with { Partitioning = c.To.Partitioning, PartitionOf = c.To.PartitionOf, PartitionBound = c.To.PartitionBound, Inherits = c.To.Inherits });
            case AddColumn c:
                return (c.Table.Name, t => t with { Columns = Insert(t, c, names) });
            case DropColumn c:
                return (c.Table.Name, t => t with { Columns = Without(t.Columns, x => names.Equals(x.Name, c.Column.Name)) });
            case RenameColumn c:
                return (c.Table.Name, t => t with { Columns = Replace(t.Columns, x => names.Equals(x.Name, c.From), x => x with { Name = c.Column.Name }) });
            case AlterColumn c:
                return (c.Table.Name, t => t with { Columns = Replace(t.Columns, x => names.Equals(x.Name, c.To.Name), _ => c.To) });
            case ReorderColumns c:
                return (c.To.Name, t => t with { Columns = c.To.Columns.Select(d => t.Columns.FirstOrDefault(x => names.Equals(x.Name, d.Name))).Where(x => x is not null).Select(x => x!).Concat(t.Columns.Where(x => c.To.FindColumn(x.Name) is null)).ToEquatableList() });
            case AddIndex c:
                return (c.Table.Name, t => t with { Indexes = Sorted(t.Indexes.Add(c.Index), i => i.Name, names) });
            case DropIndex c:
                return (c.Table.Name, t => t with { Indexes = Without(t.Indexes, i => names.Equals(i.Name, c.Index.Name)) });
            case ChangePrimaryKey c:
                return (c.Table.Name, t => t with { PrimaryKey = c.To });
            case AddForeignKey c:
                return (c.Table.Name, t => t with { ForeignKeys = Sorted(t.ForeignKeys.Add(c.ForeignKey), f => f.Name, names) });
            case DropForeignKey c:
                return (c.Table.Name, t => t with { ForeignKeys = Without(t.ForeignKeys, f => names.Equals(f.Name, c.ForeignKey.Name)) });
            case AddCheck c:
                return (c.Table.Name, t => t with { Checks = Sorted(t.Checks.Add(c.Check), x => x.Name, names) });
            case DropCheck c:
                return (c.Table.Name, t => t with { Checks = Without(t.Checks, x => names.Equals(x.Name, c.Check.Name)) });
            case RenameTableElement c:
                return (c.Table.Name, t => c.Element switch
                {
                    TableElementKind.PrimaryKey => t with { PrimaryKey = t.PrimaryKey! with { Name = c.To } },
                    TableElementKind.Index => t with { Indexes = Sorted(Replace(t.Indexes, i => names.Equals(i.Name, c.From), i => i with { Name = c.To }), i => i.Name, names) },
                    TableElementKind.ForeignKey => t with { ForeignKeys = Sorted(Replace(t.ForeignKeys, f => names.Equals(f.Name, c.From), f => f with { Name = c.To }), f => f.Name, names) },
                    _ => t with { Checks = Sorted(Replace(t.Checks, x => names.Equals(x.Name, c.From), x => x with { Name = c.To }), x => x.Name, names) },
                });
            default:
                return null;
        }
    }

    /// <summary>Adds new tables in one sort: what applying their <see cref="CreateTable"/> changes one by one gives.</summary>
    public static Schema AddTables(Schema schema, IEnumerable<Table> tables) =>
        schema with { Tables = schema.Tables.Concat(tables).OrderBy(t => t.Name.ToString(), StringComparer.Ordinal).ToEquatableList() };

    /// <summary>Adds new sequences in one sort (and empties the list): what applying their changes one by one gives.</summary>
    public static Schema AddSequences(Schema schema, List<Sequence> sequences)
    {
        if (sequences.Count == 0)
        {
            return schema;
        }

        var result = schema with { Sequences = schema.Sequences.Concat(sequences).OrderBy(s => s.Name.ToString(), StringComparer.Ordinal).ToEquatableList() };
        sequences.Clear();
        return result;
    }

    private static Schema UpdateTable(Schema schema, QualifiedName name, Func<Table, Table> update)
    {
        var index = schema.Tables.IndexOf(t => t.Name == name);
        if (index < 0)
        {
            throw MissingTable(name);
        }

        // Names stay put (renames re-sort themselves), so the table keeps its place in the sorted list.
        return schema with { Tables = schema.Tables.SetItem(index, update(schema.Tables[index])) };
    }

    /// <summary>What applying a change to a table the model does not have throws.</summary>
    internal static InvalidOperationException MissingTable(QualifiedName name) => new($"table {name} does not exist at this point of the plan");

    /// <summary>Inserts an added column after the column it follows in the desired table.</summary>
    private static EquatableList<Column> Insert(Table table, AddColumn add, StringComparer names)
    {
        var columns = table.Columns.ToList();
        var at = add.After is null ? 0 : columns.FindIndex(c => names.Equals(c.Name, add.After)) + 1;
        if (add.After is not null && at == 0)
        {
            at = columns.Count;
        }

        columns.Insert(at, add.Column);
        return columns.ToEquatableList();
    }

    private static EquatableList<T> Without<T>(EquatableList<T> items, Func<T, bool> match) => items.Where(i => !match(i)).ToEquatableList();

    private static EquatableList<T> Replace<T>(EquatableList<T> items, Func<T, bool> match, Func<T, T> replace) =>
        items.Select(i => match(i) ? replace(i) : i).ToEquatableList();

    /// <summary>Sorted as the normalizers sort: top-level objects by name, ordinal; sub-objects with the dialect's name comparer.</summary>
    private static EquatableList<T> Sorted<T>(EquatableList<T> items, Func<T, string> key, StringComparer? comparer = null) =>
        items.OrderBy(key, comparer ?? StringComparer.Ordinal).ToEquatableList();
}
