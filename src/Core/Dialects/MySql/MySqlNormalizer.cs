using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Dialects.MySql;

/// <summary>
/// Makes a MySQL/MariaDB model mean what the server makes of it, with the test server
/// (MariaDB 10.11, utf8mb4/utf8mb4_general_ci) as the oracle: canonical type names (display
/// widths dropped except TINYINT(1) and ZEROFILL widths, which change behaviour), explicit
/// charset and collation on every string column, implicit index, foreign key and check names as
/// the server generates them, the index InnoDB adds for a foreign key, defaults and expressions in
/// the server's spelling, and elements sorted by name (columns keep their order).
/// </summary>
public sealed class MySqlNormalizer
{
    private static readonly Dictionary<string, string> Engines = new(StringComparer.OrdinalIgnoreCase)
    {
        ["innodb"] = "InnoDB",
        ["myisam"] = "MyISAM",
        ["memory"] = "MEMORY",
        ["heap"] = "MEMORY",
        ["aria"] = "Aria",
        ["csv"] = "CSV",
        ["archive"] = "ARCHIVE",
        ["blackhole"] = "BLACKHOLE",
    };

    private static readonly HashSet<string> IntegerTypes = new(StringComparer.Ordinal) { "tinyint", "smallint", "mediumint", "int", "bigint" };

    private static readonly HashSet<string> TextTypes = new(StringComparer.Ordinal)
    {
        "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set",
    };

    private readonly DialectKind kind;

    public MySqlNormalizer(DialectKind kind) => this.kind = kind;

    public Schema Normalize(Schema schema)
    {
        // Stored expression text is canonicalized again (it may come from elsewhere than the parser); once per distinct text.
        var canonical = new TextMemo<string>(MySqlExpressions.Canonical);
        // Once per distinct type and charset, and one result object for all the columns of that type.
        var types = new Memo<(DataType Type, string? Charset), DataType>(key => NormalizeType(key.Type, key.Charset));
        var tables = schema.Tables.Select(t => NormalizeTable(t, canonical, types)).OrderBy(t => t.Name.Name, StringComparer.Ordinal).ToList();
        var views = new MySqlViewNormalizer(tables, schema.Views).Normalize();
        return schema with
        {
            Tables = tables.ToEquatableList(),
            Views = views.OrderBy(v => v.Name.Name, StringComparer.Ordinal).ToEquatableList(),
        };
    }

    private Table NormalizeTable(Table table, TextMemo<string> canonical, Memo<(DataType Type, string? Charset), DataType> types)
    {
        var options = NormalizeOptions(table.Options);
        var pkColumns = new HashSet<string>(
            table.PrimaryKey?.Parts.Where(p => p.Column is not null).Select(p => p.Column!) ?? Enumerable.Empty<string>(),
            StringComparer.OrdinalIgnoreCase);
        var checks = table.Checks.ToList();
        var columns = new List<Column>();
        foreach (var column in table.Columns)
        {
            var normalized = NormalizeColumn(column, options, pkColumns.Contains(column.Name), canonical, types);
            if (kind == DialectKind.MariaDb && column.Type.Name.Equals("json", StringComparison.OrdinalIgnoreCase))
            {
                // MariaDB's JSON is LONGTEXT with a binary collation and a json_valid check named after the column.
                normalized = normalized with { Type = new DataType("longtext"), Charset = "utf8mb4", Collation = "utf8mb4_bin" };
                if (!checks.Any(c => string.Equals(c.Name, column.Name, StringComparison.OrdinalIgnoreCase)))
                {
                    checks.Add(new CheckConstraint(column.Name, "json_valid(" + MySqlNames.Quote(column.Name) + ")") { Span = column.Span });
                }
            }

            columns.Add(normalized);
        }

        var primaryKey = table.PrimaryKey is null ? null : table.PrimaryKey with
        {
            Name = MySqlDefaults.PrimaryKeyName,
            Parts = table.PrimaryKey.Parts.Select(p => WholeColumnPrefix(NormalizePart(p, canonical), columns)).ToEquatableList(),
            Comment = EmptyToNull(table.PrimaryKey.Comment),
        };

        var wholePrefixes = table with { Indexes = table.Indexes.Select(i => i with { Parts = i.Parts.Select(p => WholeColumnPrefix(p, columns)).ToEquatableList() }).ToEquatableList() };
        var indexes = NameIndexes(wholePrefixes, primaryKey, canonical);
        return table with
        {
            Columns = columns.ToEquatableList(),
            PrimaryKey = primaryKey,
            Indexes = indexes.OrderBy(i => i.Name, StringComparer.OrdinalIgnoreCase).ToEquatableList(),
            ForeignKeys = NameForeignKeys(table).OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase).ToEquatableList(),
            Checks = NameChecks(checks, canonical).OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToEquatableList(),
            Options = options,
            Comment = EmptyToNull(table.Comment),
            Partitioning = table.Partitioning is null ? null : NormalizePartitioning(table.Partitioning, canonical),
        };
    }

    /// <summary>
    /// Listed partitions make a count redundant (the server shows the list); HASH/KEY without a
    /// list has at least one partition. Bound values are canonical; options sorted.
    /// </summary>
    private static Partitioning NormalizePartitioning(Partitioning scheme, TextMemo<string> canonical)
    {
        var counted = scheme.Method is PartitionMethod.Hash or PartitionMethod.Key;
        return scheme with
        {
            Expression = scheme.Expression is null ? null : canonical.Get(scheme.Expression),
            Count = scheme.Partitions.Count > 0 ? null : counted ? scheme.Count ?? 1 : scheme.Count,
            Subpartitioning = scheme.Subpartitioning is null ? null : NormalizePartitioning(scheme.Subpartitioning, canonical),
            Partitions = scheme.Partitions.Select(p => p with
            {
                Values = p.Values.Select(v => v == "MAXVALUE" ? v : canonical.Get(v)).ToEquatableList(),
                Comment = EmptyToNull(p.Comment),
                Options = SortedByName(p.Options),
            }).ToEquatableList(),
        };
    }

    private static TableOptions NormalizeOptions(TableOptions options)
    {
        var charset = options.Charset is null ? null : MySqlNames.CanonicalCharset(options.Charset);
        var collation = options.Collation is null ? null : MySqlNames.CanonicalCollation(options.Collation);
        if (charset is null && collation is null)
        {
            charset = MySqlDefaults.Charset;
            collation = MySqlDefaults.Collation;
        }

        charset ??= MySqlNames.CharsetOfCollation(collation!);
        collation ??= MySqlNames.DefaultCollation(charset);
        var engine = options.Engine is null ? MySqlDefaults.Engine
            : Engines.TryGetValue(options.Engine, out var known) ? known : options.Engine;
        var rowFormat = options.RowFormat?.ToUpperInvariant();
        var other = options.Other.ToList();
        if (engine == "Aria" && !other.Any(o => o.Name == "page_checksum"))
        {
            // Aria tables get PAGE_CHECKSUM=1 unless told otherwise.
            other.Add(new ObjectOption("page_checksum", "1"));
        }

        return options with
        {
            Engine = engine,
            Charset = charset,
            Collation = collation,
            RowFormat = rowFormat == "DEFAULT" ? null : rowFormat,
            Other = SortedByName(other),
        };
    }

    /// <summary>Options sorted by name; most objects have none, and sorting nothing still allocated a sorter per table and index.</summary>
    private static EquatableList<ObjectOption> SortedByName(IReadOnlyList<ObjectOption> options) =>
        options.Count == 0 ? EquatableList<ObjectOption>.Empty : options.OrderBy(o => o.Name, StringComparer.Ordinal).ToEquatableList();

    private Column NormalizeColumn(Column column, TableOptions table, bool inPrimaryKey, TextMemo<string> canonical, Memo<(DataType Type, string? Charset), DataType> types)
    {
        var type = types.Get((column.Type, column.Charset ?? table.Charset));
        if (type.Equals(column.Type))
        {
            // Already canonical (the parser shares its types too): the column need not be copied for a type object of its own.
            type = column.Type;
        }
        string? charset = null;
        string? collation = null;
        if (TextTypes.Contains(type.Name))
        {
            collation = column.Collation is null ? null : MySqlNames.CanonicalCollation(column.Collation);
            charset = column.Charset is not null ? MySqlNames.CanonicalCharset(column.Charset)
                : collation is not null ? MySqlNames.CharsetOfCollation(collation) : null;
            if (charset is null)
            {
                charset = table.Charset;
                collation = table.Collation;
            }

            collation ??= MySqlNames.DefaultCollation(charset!);
        }

        var nullable = column.Nullable && !inPrimaryKey;
        var generated = column.Generated is null ? null : column.Generated with { Expression = canonical.Get(column.Generated.Expression) };
        var columnDefault = column.AutoIncrement || generated is not null ? null : NormalizeDefault(column.Default, type, canonical);
        var onUpdate = column.OnUpdate is null ? null : canonical.Get(column.OnUpdate);
        var comment = EmptyToNull(column.Comment);
        // The column itself where nothing changes: a copy per column was a large part of what loading allocated.
        return column.With(type, nullable, columnDefault, column.AutoIncrement, onUpdate, generated, comment, column.Invisible, collation, charset);
    }

    private DataType NormalizeType(DataType type, string? charset)
    {
        var name = type.Name.ToLowerInvariant();
        name = name switch
        {
            "integer" or "int4" => "int",
            "int1" => "tinyint",
            "int2" => "smallint",
            "int3" or "middleint" => "mediumint",
            "int8" => "bigint",
            "dec" or "numeric" or "fixed" => "decimal",
            "real" or "float8" => "double",
            "float4" => "float",
            "character" => "char",
            _ => name,
        };

        if (name is "bool" or "boolean")
        {
            return new DataType("tinyint") { Length = 1 };
        }

        // Records are copied only where a value changes: most types are already spelled canonically.
        var result = name == type.Name ? type : type with { Name = name };
        if (IntegerTypes.Contains(name))
        {
            // Display width is cosmetic, except TINYINT(1) (read as boolean by clients) and ZEROFILL (pads output).
            int? width = result.Zerofill ? result.Length ?? ZerofillWidth(name) : name == "tinyint" && result.Length == 1 ? 1 : null;
            return result with { Length = width, Precision = null, Scale = null, Unsigned = result.Unsigned || result.Zerofill };
        }

        switch (name)
        {
            case "decimal":
                return result with { Precision = result.Precision ?? result.Length ?? 10, Scale = result.Scale ?? 0, Length = null };
            case "float" when result.Scale is null && result.Precision is not null:
                return result with { Name = result.Precision > 24 ? "double" : "float", Precision = null };
            case "char" or "binary" or "bit":
                return result with { Length = result.Length ?? 1 };
            case "year":
                return result with { Length = null, Precision = null };
            case "datetime" or "timestamp" or "time":
                return result with { Precision = result.Precision is 0 ? null : result.Precision ?? result.Length, Length = null };
            case "text" or "blob" when result.Length is not null:
                var bytes = (long)result.Length.Value * (name == "text" ? MySqlNames.MaxBytesPerChar(charset) : 1);
                var size = bytes < 256 ? "tiny" : bytes < 65536 ? string.Empty : bytes < 16777216 ? "medium" : "long";
                return result with { Name = size + name, Length = null };
            case "json" when kind == DialectKind.MariaDb:
                return new DataType("longtext");
        }

        var unsigned = result.Unsigned && name is "float" or "double" or "decimal";
        return unsigned == result.Unsigned ? result : result with { Unsigned = unsigned };
    }

    private static int ZerofillWidth(string name) => name switch
    {
        "tinyint" => 3,
        "smallint" => 5,
        "mediumint" => 8,
        "int" => 10,
        _ => 20,
    };

    private static ColumnDefault? NormalizeDefault(ColumnDefault? value, DataType type, TextMemo<string> canonical)
    {
        if (value is null)
        {
            return null;
        }

        var literal = value.Kind == DefaultKind.Literal ? value.Value : null;
        if (literal is null)
        {
            var text = canonical.Get(value.Value);
            if (text == "NULL")
            {
                return null;
            }

            if (MySqlExpressions.IsNumber(text))
            {
                literal = text;
            }
            else if (UnquoteString(text) is { } unquoted)
            {
                literal = unquoted;
            }
            else
            {
                return ColumnDefault.Expression(text);
            }
        }

        return FormatLiteral(literal, type);
    }

    /// <summary>The value of a canonical string literal ('x'), or null when the text is something else.</summary>
    private static string? UnquoteString(string text)
    {
        if (!text.StartsWith("'", StringComparison.Ordinal))
        {
            return null;
        }

        var lex = MySqlLexer.Lex(new SourceFile(string.Empty, text));
        return lex.Tokens.Count == 2 && lex.Tokens[0].Kind == TokenKind.String ? lex.Tokens[0].Value : null;
    }

    /// <summary>A constant default as the server prints it for the column's type.</summary>
    private static ColumnDefault FormatLiteral(string literal, DataType type)
    {
        var number = decimal.TryParse(literal.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : (decimal?)null;
        if (number is { } n)
        {
            if (IntegerTypes.Contains(type.Name))
            {
                return ColumnDefault.Literal(Math.Round(n, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture));
            }

            switch (type.Name)
            {
                case "decimal":
                    return ColumnDefault.Literal(Math.Round(n, type.Scale ?? 0, MidpointRounding.AwayFromZero).ToString("F" + (type.Scale ?? 0), CultureInfo.InvariantCulture));
                case "float" or "double":
                    return ColumnDefault.Literal((n / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture));
                case "bit":
                    return ColumnDefault.Expression("b'" + Convert.ToString((long)n, 2) + "'");
            }
        }

        if (type.Name == "binary" && type.Length is { } width)
        {
            // BINARY(n) is fixed width: the server pads the default with NUL bytes to n bytes.
            var bytes = System.Text.Encoding.UTF8.GetByteCount(literal);
            if (bytes < width)
            {
                literal += new string('\0', width - bytes);
            }
        }

        if (type.Name is "datetime" or "timestamp" && literal.Length == 10)
        {
            literal += " 00:00:00";
        }

        if (type.Name is "datetime" or "timestamp" or "time" && type.Precision is > 0 && literal.IndexOf('.') < 0 && literal.Length > 0)
        {
            literal += "." + new string('0', type.Precision.Value);
        }

        return ColumnDefault.Literal(literal);
    }

    /// <summary>A prefix as long as a CHAR/VARCHAR/BINARY/VARBINARY column covers the whole value: the server drops it.</summary>
    private static IndexKeyPart WholeColumnPrefix(IndexKeyPart part, List<Column> columns)
    {
        if (part.PrefixLength is not { } prefix || part.Column is null)
        {
            return part;
        }

        var column = columns.FirstOrDefault(c => string.Equals(c.Name, part.Column, StringComparison.OrdinalIgnoreCase));
        return column is { Type.Name: "char" or "varchar" or "binary" or "varbinary" } && column.Type.Length == prefix
            ? part with { PrefixLength = null }
            : part;
    }

    private static IndexKeyPart NormalizePart(IndexKeyPart part, TextMemo<string> canonical) =>
        part with { Expression = part.Expression is null ? null : canonical.Get(part.Expression), Nulls = NullsOrder.Default };

    /// <summary>
    /// Names unnamed indexes as the server does (first column, then _2, _3, ...) and adds the index
    /// InnoDB creates for a foreign key whose columns no index leads with, named after the constraint.
    /// </summary>
    private static List<Index> NameIndexes(Table table, PrimaryKey? primaryKey, TextMemo<string> canonical)
    {
        var used = new HashSet<string>(table.Indexes.Where(i => i.Name.Length > 0).Select(i => i.Name), StringComparer.OrdinalIgnoreCase)
        {
            MySqlDefaults.PrimaryKeyName,
        };
        var result = new List<Index>();
        foreach (var index in table.Indexes)
        {
            var name = index.Name.Length > 0 ? index.Name : UniqueName(BaseName(index.Parts), used);
            var method = index.Kind is IndexKind.FullText or IndexKind.Spatial ? null : index.Method?.ToLowerInvariant();
            result.Add(index with
            {
                Name = name,
                Method = method,
                Parts = index.Parts.Select(p => NormalizePart(p, canonical)).ToEquatableList(),
                Comment = EmptyToNull(index.Comment),
                Options = SortedByName(index.Options),
            });
        }

        foreach (var key in table.ForeignKeys)
        {
            var covered = (primaryKey is not null && Leads(primaryKey.Parts, key.Columns))
                || result.Any(i => i.Kind is IndexKind.Regular or IndexKind.Unique && Leads(i.Parts, key.Columns));
            if (covered)
            {
                continue;
            }

            var name = key.Name.Length > 0 && !used.Contains(key.Name) ? key.Name : UniqueName(key.Columns[0], used);
            used.Add(name);
            result.Add(new Index(name, IndexKind.Regular, key.Columns.Select(IndexKeyPart.ForColumn).ToEquatableList()) { Span = key.Span });
        }

        return result;
    }

    private static bool Leads(EquatableList<IndexKeyPart> parts, EquatableList<string> columns) =>
        parts.Count >= columns.Count
        && columns.Select((c, i) => parts[i].Column is { } column && parts[i].PrefixLength is null
            && string.Equals(column, c, StringComparison.OrdinalIgnoreCase)).All(x => x);

    private static string BaseName(EquatableList<IndexKeyPart> parts) =>
        parts.Count > 0 && parts[0].Column is { } column ? column : "expr";

    private static string UniqueName(string baseName, HashSet<string> used)
    {
        var name = baseName;
        for (var suffix = 2; used.Contains(name); suffix++)
        {
            name = baseName + "_" + suffix.ToString(CultureInfo.InvariantCulture);
        }

        used.Add(name);
        return name;
    }

    /// <summary>Unnamed foreign keys are <c>table_ibfk_N</c>; InnoDB treats RESTRICT and NO ACTION alike.</summary>
    private static IEnumerable<ForeignKey> NameForeignKeys(Table table)
    {
        var counter = 0;
        foreach (var key in table.ForeignKeys)
        {
            var name = key.Name.Length > 0 ? key.Name : table.Name.Name + "_ibfk_" + (++counter).ToString(CultureInfo.InvariantCulture);
            yield return key with
            {
                Name = name,
                ReferencedTable = QualifiedName.Unqualified(key.ReferencedTable.Name),
                OnDelete = key.OnDelete == ReferentialAction.Restrict ? ReferentialAction.NoAction : key.OnDelete,
                OnUpdate = key.OnUpdate == ReferentialAction.Restrict ? ReferentialAction.NoAction : key.OnUpdate,
                MatchFull = false,
                Deferrability = Deferrability.NotDeferrable,
            };
        }
    }

    /// <summary>Unnamed table checks are <c>CONSTRAINT_N</c>, counted over the unnamed ones.</summary>
    private static IEnumerable<CheckConstraint> NameChecks(List<CheckConstraint> checks, TextMemo<string> canonical)
    {
        var counter = 0;
        foreach (var check in checks)
        {
            var name = check.Name.Length > 0 ? check.Name : "CONSTRAINT_" + (++counter).ToString(CultureInfo.InvariantCulture);
            yield return check with { Name = name, Expression = canonical.Get(check.Expression), NoInherit = false };
        }
    }

    private static string? EmptyToNull(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
