using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Dialects.Postgres.Expressions;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Dialects.Postgres;

/// <summary>
/// Makes a parsed PostgreSQL model mean exactly what the server makes of it, so the model of the
/// schema files equals the model of pg_dump's output: every name gets its schema (<c>public</c> by
/// default), types their canonical spelling, <c>serial</c> becomes integer + owned sequence + nextval
/// default, identities and sequences get their default options, unnamed constraints and indexes the
/// server's names, expressions and view queries canonical text (see <see cref="PostgresExpressionCanonicalizer"/>),
/// and objects are sorted by name (columns keep their order). Idempotent.
/// </summary>
public sealed class PostgresNormalizer
{
    private const string DefaultSchema = "public";

    public Schema Normalize(Schema schema)
    {
        var enumSchemas = schema.EnumTypes
            .GroupBy(e => e.Name.Name)
            .ToDictionary(g => g.Key, g => g.First().Name.Schema ?? DefaultSchema);
        string UserTypeSchema(string name) => enumSchemas.TryGetValue(name, out var s) ? s : DefaultSchema;

        var names = new PostgresNames();
        var memo = new PostgresExpressionMemo();
        // Once per distinct type, and one result object for all the columns of that type.
        var types = new Memo<DataType, DataType>(type => PostgresTypes.Canonical(type, UserTypeSchema));
        var serialTypes = new TextMemo<DataType>(name => new DataType(name));
        ReserveExplicitNames(schema, names);
        var sequences = schema.Sequences.Select(NormalizeSequence).ToList();
        var tables = new List<Table>();
        foreach (var table in schema.Tables)
        {
            tables.Add(NormalizePartitioning(NormalizeTable(WithoutInherited(table, schema), schema, names, types, serialTypes, sequences, memo), memo));
        }

        SpellPartitionBounds(tables);
        var tableColumns = tables.ToDictionary(t => t.Name, t => (IReadOnlyList<string>)t.Columns.Select(c => c.Name).ToList());
        IReadOnlyList<string>? ColumnsOf(QualifiedName name) => tableColumns.TryGetValue(name, out var columns) ? columns : null;

        return schema with
        {
            Namespaces = schema.Namespaces.OrderBy(n => n.Name, System.StringComparer.Ordinal).ToEquatableList(),
            Extensions = schema.Extensions
                .Select(e => e with { Schema = e.Schema ?? DefaultSchema, Version = null })
                .OrderBy(e => e.Name, System.StringComparer.Ordinal)
                .ToEquatableList(),
            EnumTypes = schema.EnumTypes.Select(e => e with { Name = Qualify(e.Name) }).OrderBy(e => Key(e.Name), System.StringComparer.Ordinal).ToEquatableList(),
            Sequences = sequences.OrderBy(s => Key(s.Name), System.StringComparer.Ordinal).ToEquatableList(),
            Tables = tables.OrderBy(t => Key(t.Name), System.StringComparer.Ordinal).ToEquatableList(),
            Views = schema.Views.Select(v => NormalizeView(v, ColumnsOf, names, memo)).OrderBy(v => Key(v.Name), System.StringComparer.Ordinal).ToEquatableList(),
        };
    }

    /// <summary>
    /// What a table declares itself: a partition has its parent's columns, keys and indexes (the server creates them with it,
    /// or checks them on ATTACH), so none are its own; an INHERITS child's columns named in a parent are the parent's.
    /// </summary>
    private static Table WithoutInherited(Table table, Schema schema)
    {
        if (table.PartitionOf is not null)
        {
            return table with
            {
                Columns = EquatableList<Column>.Empty, PrimaryKey = null, Indexes = EquatableList<Index>.Empty,
                ForeignKeys = EquatableList<ForeignKey>.Empty, Checks = EquatableList<CheckConstraint>.Empty,
            };
        }

        if (table.Inherits.Count == 0)
        {
            return table;
        }

        var inherited = new HashSet<string>(
            table.Inherits.Select(p => TableByKey(schema, Key(Qualify(p)))).Where(p => p is not null).SelectMany(p => p!.Columns.Select(c => c.Name)),
            System.StringComparer.Ordinal);
        return table with { Columns = table.Columns.Where(c => !inherited.Contains(c.Name)).ToEquatableList() };
    }

    private static Table NormalizePartitioning(Table table, PostgresExpressionMemo memo) =>
        table.PartitionOf is null && table.Inherits.Count == 0 && table.Partitioning is null
            ? table
            : table with
            {
                PartitionOf = table.PartitionOf is null ? null : Qualify(table.PartitionOf),
                Inherits = table.Inherits.Select(Qualify).ToEquatableList(),
                Partitioning = table.Partitioning is null ? null : table.Partitioning with { KeyParts = table.Partitioning.KeyParts.Select(p => NormalizePart(p, memo)).ToEquatableList() },
            };

    /// <summary>A partition's bound on date and time keys as the server prints it, known from its parent's key column types.</summary>
    private static void SpellPartitionBounds(List<Table> tables)
    {
        if (!tables.Any(t => t.PartitionBound is not null))
        {
            return;
        }

        var byKey = tables.Where(t => t.Partitioning is not null).ToDictionary(t => Key(t.Name), t => t);
        for (var i = 0; i < tables.Count; i++)
        {
            var table = tables[i];
            if (table is { PartitionOf: { } parentName, PartitionBound: { } bound } && byKey.TryGetValue(Key(parentName), out var parent))
            {
                var keyTypes = parent.Partitioning!.KeyParts
                    .Select(p => p.Column is null ? null : parent.FindColumn(p.Column)?.Type is { } type ? PostgresTypes.Canonical(type, _ => DefaultSchema).Name : null)
                    .ToList();
                var spelled = PostgresPartitionBounds.Canonical(bound, keyTypes);
                if (spelled != bound)
                {
                    tables[i] = table with { PartitionBound = spelled };
                }
            }
        }
    }

    private static QualifiedName Qualify(QualifiedName name) => name.Schema is null ? new QualifiedName(DefaultSchema, name.Name) : name;

    private static string Key(QualifiedName name) => PostgresModelBuilder.Key(name);

    /// <summary>Names written in the files are taken before any is invented, as they exist when the server picks one.</summary>
    private static void ReserveExplicitNames(Schema schema, PostgresNames names)
    {
        foreach (var relation in schema.Tables.Select(t => t.Name).Concat(schema.Views.Select(v => v.Name)).Concat(schema.Sequences.Select(s => s.Name)))
        {
            names.TakeRelation(relation.Schema ?? DefaultSchema, relation.Name);
        }

        foreach (var index in schema.Views.SelectMany(v => v.Indexes.Where(i => i.Name.Length > 0).Select(i => (v.Name.Schema ?? DefaultSchema, i.Name))))
        {
            names.TakeRelation(index.Item1, index.Name);
        }

        foreach (var table in schema.Tables)
        {
            var ns = table.Name.Schema ?? DefaultSchema;
            foreach (var index in table.Indexes.Where(i => i.Name.Length > 0))
            {
                names.TakeRelation(ns, index.Name);
                if (index.IsConstraint)
                {
                    names.TakeConstraint(ns, index.Name);
                }
            }

            if (table.PrimaryKey is { Name.Length: > 0 } pk)
            {
                names.TakeRelation(ns, pk.Name);
                names.TakeConstraint(ns, pk.Name);
            }

            foreach (var name in table.ForeignKeys.Select(f => f.Name).Concat(table.Checks.Select(c => c.Name)).Where(n => n.Length > 0))
            {
                names.TakeConstraint(ns, name);
            }
        }
    }

    private static Sequence NormalizeSequence(Sequence sequence) => sequence with
    {
        Name = Qualify(sequence.Name),
        Options = FillSequenceOptions(sequence.Options, sequence.Options.DataType),
        OwnedBy = QualifyOwner(sequence.OwnedBy),
    };

    private static string? QualifyOwner(string? ownedBy) =>
        ownedBy is null || ownedBy.Count(c => c == '.') >= 2 ? ownedBy : DefaultSchema + "." + ownedBy;

    /// <summary>The server's defaults: bigint, increment 1, ascending from 1 to the type's maximum, cache 1.</summary>
    private static SequenceOptions FillSequenceOptions(SequenceOptions options, string? dataType)
    {
        var type = dataType is null ? "bigint" : PostgresTypes.Canonical(new DataType(dataType), _ => DefaultSchema).Name;
        var (typeMin, typeMax) = PostgresTypes.IntegerRange(type);
        var increment = options.Increment ?? 1;
        var min = options.MinValue ?? (increment > 0 ? 1 : typeMin);
        var max = options.MaxValue ?? (increment > 0 ? typeMax : -1);
        return options with
        {
            DataType = type,
            Increment = increment,
            MinValue = min,
            MaxValue = max,
            Start = options.Start ?? (increment > 0 ? min : max),
            Cache = options.Cache ?? 1,
        };
    }

    // The tables by schema-qualified key, built once per table list: a scan per foreign key is quadratic on large schemas.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<EquatableList<Table>, Dictionary<string, Table>> TablesByKey = new();

    private static Table? TableByKey(Schema schema, string key) =>
        TablesByKey.GetValue(schema.Tables, tables =>
        {
            var index = new Dictionary<string, Table>(System.StringComparer.Ordinal);
            foreach (var table in tables)
            {
                if (!index.ContainsKey(Key(table.Name)))
                {
                    index.Add(Key(table.Name), table);
                }
            }

            return index;
        }).TryGetValue(key, out var found) ? found : null;

    private static Table NormalizeTable(
        Table table, Schema schema, PostgresNames names, Memo<DataType, DataType> types, TextMemo<DataType> serialTypes, List<Sequence> sequences, PostgresExpressionMemo memo)
    {
        var name = Qualify(table.Name);
        var ns = name.Schema!;
        var primaryColumns = table.PrimaryKey?.Parts.Select(p => p.Column).ToList() ?? new List<string?>();
        var columns = new List<Column>();
        foreach (var raw in table.Columns)
        {
            var collation = raw.Collation is null or "default" ? null : raw.Collation;
            var rawDefault = raw.Default is { Kind: DefaultKind.Expression } d ? WithWritten(memo.Default(d.Value), d.Written) : raw.Default;
            var column = ReferenceEquals(collation, raw.Collation) && ReferenceEquals(rawDefault, raw.Default) && raw.Generated is null
                ? raw
                : raw with
                {
                    Collation = collation,
                    Default = rawDefault,
                    Generated = raw.Generated is null ? null : raw.Generated with { Expression = memo.Expression(raw.Generated.Expression) },
                };

            // Copy the record only where a step changes something: most columns need no change at most steps.
            var typedDefault = TypedLiteral(column);
            if (!ReferenceEquals(typedDefault, column.Default))
            {
                column = column with { Default = typedDefault };
            }

            if (column.Type.TypeSchema is null && column.Type.ArrayDimensions == 0 && PostgresTypes.Serials.TryGetValue(column.Type.Name, out var integerType))
            {
                // serial: an integer column owning a sequence that feeds its default.
                var sequenceName = names.ChooseRelation(ns, name.Name, column.Name, "seq", isConstraint: false);
                sequences.Add(new Sequence(new QualifiedName(ns, sequenceName))
                {
                    Options = FillSequenceOptions(new SequenceOptions(), integerType),
                    OwnedBy = ns + "." + name.Name + "." + column.Name,
                    Span = column.Span,
                });
                column = column with
                {
                    Type = serialTypes.Get(integerType),
                    Nullable = false,
                    Default = ColumnDefault.Expression(memo.Expression($"nextval('{ns}.{sequenceName}'::regclass)")),
                };
            }
            else
            {
                var type = types.Get(column.Type);
                if (!type.Equals(column.Type))
                {
                    column = column with { Type = type };
                }
            }

            if (column.Identity is not null)
            {
                // The identity's sequence takes a name too, which later invented names must avoid.
                names.ChooseRelation(ns, name.Name, column.Name, "seq", isConstraint: false);

                column = column with
                {
                    Nullable = false,
                    Identity = column.Identity with { Options = FillSequenceOptions(column.Identity.Options, column.Type.Name) },
                };
            }

            if (primaryColumns.Contains(column.Name) && column.Nullable)
            {
                column = column with { Nullable = false };
            }

            columns.Add(column);
        }

        var checks = table.Checks.Select(c =>
        {
            var checkName = c.Name;
            if (checkName.Length == 0)
            {
                var referenced = memo.Columns(c.Expression);
                checkName = names.ChooseConstraint(ns, name.Name, referenced.Count == 1 ? referenced[0] : null, "check");
            }

            return c with { Name = checkName, Expression = memo.Expression(c.Expression) };
        }).ToList();

        var primaryKey = table.PrimaryKey;
        if (primaryKey is { Name.Length: 0 })
        {
            primaryKey = primaryKey with { Name = names.ChooseRelation(ns, name.Name, null, "pkey", isConstraint: true) };
        }

        var indexes = table.Indexes.Select(i => NormalizeIndex(i, name, names, columns, memo)).ToList();
        var foreignKeys = table.ForeignKeys.Select(fk =>
        {
            var target = Qualify(fk.ReferencedTable);
            var referencedColumns = fk.ReferencedColumns.Count > 0
                ? fk.ReferencedColumns
                : TableByKey(schema, Key(target))?.PrimaryKey?.Parts.Select(p => p.Column!).ToEquatableList() ?? fk.ReferencedColumns;
            var fkName = fk.Name.Length > 0 ? fk.Name : names.ChooseConstraint(ns, name.Name, PostgresNames.JoinColumns(fk.Columns), "fkey");
            return fk with { Name = fkName, ReferencedTable = target, ReferencedColumns = referencedColumns };
        }).ToList();

        return table with
        {
            Name = name,
            Columns = columns.ToEquatableList(),
            PrimaryKey = primaryKey,
            Indexes = indexes.OrderBy(i => i.Name, System.StringComparer.Ordinal).ToEquatableList(),
            ForeignKeys = foreignKeys.OrderBy(f => f.Name, System.StringComparer.Ordinal).ToEquatableList(),
            Checks = checks.OrderBy(c => c.Name, System.StringComparer.Ordinal).ToEquatableList(),
            Options = table.Options with { Other = NormalizeOptions(WithoutOrphanToastOptions(table.Options.Other, columns)) },
        };
    }

    /// <summary>A canonical default that still deploys as written.</summary>
    private static ColumnDefault? WithWritten(ColumnDefault? canonical, WrittenSql written) =>
        canonical is null || written.IsNone ? canonical : canonical with { Written = written };

    /// <summary>A literal default as the server prints the value of the column's type: intervals and times in output format.</summary>
    private static ColumnDefault? TypedLiteral(Column column)
    {
        if (column.Default is not { Kind: DefaultKind.Literal } literal || column.Type.ArrayDimensions > 0 || column.Type.TypeSchema is not null)
        {
            return column.Default;
        }

        var type = PostgresTypes.Canonical(column.Type, _ => DefaultSchema).Name;
        if (type == "interval")
        {
            return ColumnDefault.Literal(PostgresIntervals.Canonical(literal.Value)) with { Written = literal.Written };
        }

        var typed = type switch
        {
            "boolean" => PostgresTypes.BooleanText(literal.Value),
            "double precision" => PostgresTypes.FloatText(literal.Value, singlePrecision: false),
            "real" => PostgresTypes.FloatText(literal.Value, singlePrecision: true),
            _ => null,
        };
        if (typed is not null)
        {
            return typed == literal.Value ? literal : ColumnDefault.Literal(typed) with { Written = literal.Written };
        }

        var time = literal.Value.Trim();
        if (type == "time without time zone" && time.Length is 4 or 5 && time.IndexOf(':') is 1 or 2 && time.Split(':').All(p => p.Length > 0 && p.All(char.IsDigit)))
        {
            return ColumnDefault.Literal(time.PadLeft(5, '0') + ":00") with { Written = literal.Written };
        }

        return column.Default;
    }

    private static Index NormalizeIndex(Index index, QualifiedName table, PostgresNames names, IReadOnlyList<Column> columns, PostgresExpressionMemo memo)
    {
        var parts = index.Parts.Select(p => NormalizePart(p, memo)).ToList();
        for (var i = 0; i < parts.Count; i++)
        {
            // A key collated like its column shows no COLLATE in the server's definition.
            if (parts[i].Column is string column && parts[i].Collation is not null && columns.FirstOrDefault(c => c.Name == column)?.Collation == parts[i].Collation)
            {
                parts[i] = parts[i] with { Collation = null };
            }
        }

        var name = index.Name;
        if (name.Length == 0)
        {
            var keyNames = parts.Select(p => p.Column ?? ExpressionColumnName(p.Expression!, memo));
            if (index.IsConstraint)
            {
                keyNames = keyNames.Concat(index.Include);
            }

            name = names.ChooseRelation(table.Schema!, table.Name, PostgresNames.JoinColumns(keyNames), index.IsConstraint ? "key" : "idx", index.IsConstraint);
        }

        return index with
        {
            Name = name,
            Method = (index.Method ?? "btree").ToLowerInvariant(),
            Parts = parts.ToEquatableList(),
            Predicate = index.Predicate is null ? null : memo.Expression(index.Predicate),
            Options = NormalizeOptions(index.Options),
        };
    }

    /// <summary>The name part the server uses for an expression key: a function's name, otherwise "expr".</summary>
    private static string ExpressionColumnName(string expression, PostgresExpressionMemo memo) =>
        memo.TryParseExpression(expression) switch
        {
            FunctionNode function => function.Name.Name,
            CastNode { Operand: FunctionNode function } => function.Name.Name,
            CastNode { Operand: ColumnRefNode column } => column.Column,
            _ => "expr",
        };

    private static IndexKeyPart NormalizePart(IndexKeyPart part, PostgresExpressionMemo memo)
    {
        if (part.Expression is not null)
        {
            var canonical = memo.Expression(part.Expression);
            var node = memo.TryParseExpression(canonical);
            part = node is ColumnRefNode { Parts.Count: 1 } column && column.Column != "*"
                ? part with { Column = column.Column, Expression = null, Written = WrittenSql.None }
                : part with { Expression = canonical };
        }

        var nulls = part.Nulls;
        if ((part.Order == SortOrder.Ascending && nulls == NullsOrder.Last) || (part.Order == SortOrder.Descending && nulls == NullsOrder.First))
        {
            nulls = NullsOrder.Default;
        }

        return part with { Nulls = nulls, Collation = part.Collation is null or "default" ? null : part.Collation };
    }

    /// <summary>The server drops toast.* parameters of a table that has no TOAST table (no variable-length column).</summary>
    private static EquatableList<ObjectOption> WithoutOrphanToastOptions(EquatableList<ObjectOption> options, IReadOnlyList<Column> columns) =>
        columns.Any(c => !PostgresTypes.IsFixedLength(c.Type))
            ? options
            : options.Where(o => !o.Name.StartsWith("toast.", System.StringComparison.OrdinalIgnoreCase)).ToEquatableList();

    /// <summary>Storage parameters sorted by name; a bare name means true.</summary>
    private static EquatableList<ObjectOption> NormalizeOptions(EquatableList<ObjectOption> options) =>
        options.Count == 0 ? options : options
            .Select(o => new ObjectOption(o.Name.ToLowerInvariant(), o.Value.Length == 0 ? "true" : o.Value))
            .OrderBy(o => o.Name, System.StringComparer.Ordinal)
            .ToEquatableList();

    private static View NormalizeView(View view, System.Func<QualifiedName, IReadOnlyList<string>?> columnsOf, PostgresNames names, PostgresExpressionMemo memo)
    {
        var name = Qualify(view.Name);
        var indexes = view.Indexes
            .Select(i => NormalizeIndex(i, name, names, new Column[0], memo))
            .OrderBy(i => i.Name, System.StringComparer.Ordinal)
            .ToEquatableList();
        var options = NormalizeOptions(view.Options);
        var checkOption = view.CheckOption;
        var fromOptions = options.FirstOrDefault(o => o.Name == "check_option");
        if (fromOptions is not null)
        {
            checkOption = fromOptions.Value.ToUpperInvariant();
            options = options.Where(o => o.Name != "check_option").ToEquatableList();
        }

        return view with
        {
            Name = name,
            Indexes = indexes,
            Definition = PostgresExpressionCanonicalizer.Query(view.Definition, columnsOf, view.ColumnNames),
            ColumnNames = EquatableList<string>.Empty,
            Options = options,
            CheckOption = checkOption,
        };
    }
}
