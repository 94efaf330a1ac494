using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Dialects.MySql;

/// <summary>
/// Writes canonical MySQL/MariaDB DDL, laid out like SHOW CREATE TABLE. Every identifier goes
/// through <see cref="QuoteIdentifier"/> and every value through <see cref="QuoteLiteral"/>.
/// Written from a normalized model, the text parses and normalizes back to the same model.
/// </summary>
public sealed class MySqlDdlWriter : IDdlWriter
{
    private static readonly HashSet<string> NumericTypes = new(StringComparer.Ordinal)
    {
        "tinyint", "smallint", "mediumint", "int", "bigint", "decimal", "float", "double", "year",
    };

    private readonly DialectKind kind;

    public MySqlDdlWriter(DialectKind kind = DialectKind.MariaDb) => this.kind = kind;

    public string QuoteIdentifier(string name) => MySqlNames.Quote(name);

    public string QuoteLiteral(string value) => AppendLiteral(new StringBuilder(value.Length + 2), value).ToString();

    public string Comment(string text) => SqlComment.Line(text);

    public string QuoteName(QualifiedName name) =>
        name.Schema is null ? QuoteIdentifier(name.Name) : QuoteIdentifier(name.Schema) + "." + QuoteIdentifier(name.Name);

    // The Append* methods write a clause into the statement's builder: CREATE TABLE used to build every column, type, key and
    // literal as its own string (and builder), which made writing a table allocate some fifteen times its text.
    private static StringBuilder AppendLiteral(StringBuilder output, string value)
    {
        output.Append('\'');
        foreach (var c in value)
        {
            var escaped = c switch
            {
                '\'' => "''",
                '\\' => "\\\\",
                '\0' => "\\0",
                '\n' => "\\n",
                '\r' => "\\r",
                '\u001a' => "\\Z",
                _ => null,
            };
            if (escaped is null)
            {
                output.Append(c);
            }
            else
            {
                output.Append(escaped);
            }
        }

        return output.Append('\'');
    }

    private static StringBuilder AppendIdentifier(StringBuilder output, string name) => output.Append(MySqlNames.Quote(name));

    private static StringBuilder AppendIdentifiers(StringBuilder output, EquatableList<string> names)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (i > 0)
            {
                output.Append(',');
            }

            AppendIdentifier(output, names[i]);
        }

        return output;
    }

    public string WriteSchema(Schema schema)
    {
        var output = new StringBuilder();
        foreach (var table in Model.DependencyOrder.Sort(schema.Tables, t => t.Name.Name, t => t.ForeignKeys.Select(f => f.ReferencedTable.Name)))
        {
            output.Append(WriteTable(table)).Append("\n\n");
        }

        var names = new HashSet<string>(schema.Views.Select(v => v.Name.Name), StringComparer.Ordinal);
        foreach (var view in Model.DependencyOrder.Sort(schema.Views, v => v.Name.Name, v => ReferencedNames(v.Definition).Where(names.Contains)))
        {
            output.Append(WriteView(view)).Append("\n\n");
        }

        foreach (var statement in schema.Verbatim)
        {
            // A body's own ';' would end the statement in the mysql client: the routine goes in a DELIMITER block.
            output.Append(statement.Text.IndexOf(';') < 0 ? statement.Text + ";\n\n" : "DELIMITER ;;\n" + statement.Text + ";;\nDELIMITER ;\n\n");
        }

        return output.ToString();
    }

    public string WriteTable(Table table)
    {
        var output = new StringBuilder(1024);
        output.Append("CREATE TABLE ").Append(QuoteName(table.Name)).Append(" (\n  ");
        var first = true;
        StringBuilder NextLine()
        {
            if (!first)
            {
                output.Append(",\n  ");
            }

            first = false;
            return output;
        }

        foreach (var column in table.Columns)
        {
            AppendColumn(NextLine(), column);
        }

        if (table.PrimaryKey is { } key)
        {
            AppendPrimaryKey(NextLine(), key);
        }

        foreach (var index in table.Indexes)
        {
            AppendIndex(NextLine(), index);
        }

        foreach (var foreignKey in table.ForeignKeys)
        {
            AppendForeignKey(NextLine(), foreignKey);
        }

        foreach (var check in table.Checks)
        {
            AppendCheck(NextLine(), check);
        }

        output.Append("\n)");
        var options = table.Options;
        if (options.Engine is not null)
        {
            output.Append(" ENGINE=").Append(options.Engine);
        }

        if (options.Charset is not null)
        {
            output.Append(" DEFAULT CHARSET=").Append(options.Charset);
        }

        if (options.Collation is not null)
        {
            output.Append(" COLLATE=").Append(options.Collation);
        }

        if (options.RowFormat is not null)
        {
            output.Append(" ROW_FORMAT=").Append(options.RowFormat);
        }

        foreach (var option in options.Other)
        {
            output.Append(' ').Append(option.Name.ToUpperInvariant()).Append('=').Append(option.Value);
        }

        if (table.Comment is not null)
        {
            AppendLiteral(output.Append(" COMMENT="), table.Comment);
        }

        if (table.Partitioning is { } partitioning)
        {
            output.Append('\n').Append(WritePartitioning(partitioning));
        }

        return output.Append(';').ToString();
    }

    /// <summary><c>PARTITION BY ...</c> with its partitions, as written after the table options (and by ALTER TABLE).</summary>
    public string WritePartitioning(Partitioning partitioning)
    {
        var output = new StringBuilder("PARTITION BY ").Append(WritePartitionScheme(partitioning));
        if (partitioning.Count is { } count)
        {
            output.Append(" PARTITIONS ").Append(count.ToString(CultureInfo.InvariantCulture));
        }

        if (partitioning.Subpartitioning is { } sub)
        {
            output.Append(" SUBPARTITION BY ").Append(WritePartitionScheme(sub));
            if (sub.Count is { } subCount)
            {
                output.Append(" SUBPARTITIONS ").Append(subCount.ToString(CultureInfo.InvariantCulture));
            }
        }

        if (partitioning.Partitions.Count > 0)
        {
            output.Append("\n(").Append(WritePartitions(partitioning.Partitions, partitioning.Method)).Append(')');
        }

        return output.ToString();
    }

    /// <summary>Partition definitions separated by commas, as in <c>ADD PARTITION (...)</c> and <c>REORGANIZE ... INTO (...)</c>.</summary>
    public string WritePartitions(IEnumerable<Partition> partitions, PartitionMethod method) =>
        string.Join(",\n ", partitions.Select(p => WritePartition(p, method)));

    private string WritePartitionScheme(Partitioning scheme)
    {
        var output = new StringBuilder();
        if (scheme.Linear)
        {
            output.Append("LINEAR ");
        }

        output.Append(scheme.Method.ToString().ToUpperInvariant());
        if (scheme.KeyAlgorithm is { } algorithm)
        {
            output.Append(" ALGORITHM=").Append(algorithm.ToString(CultureInfo.InvariantCulture));
        }

        if (scheme.Columns)
        {
            output.Append(" COLUMNS");
        }

        output.Append(" (");
        output.Append(scheme.Expression ?? string.Join(",", scheme.KeyColumns.Select(QuoteIdentifier)));
        return output.Append(')').ToString();
    }

    private string WritePartition(Partition partition, PartitionMethod method)
    {
        var output = new StringBuilder("PARTITION ").Append(QuoteIdentifier(partition.Name));
        if (partition.IsDefault)
        {
            output.Append(" DEFAULT");
        }
        else if (partition.Values.Count > 0)
        {
            output.Append(method == PartitionMethod.Range ? " VALUES LESS THAN (" : " VALUES IN (").Append(string.Join(",", partition.Values)).Append(')');
        }

        foreach (var option in partition.Options)
        {
            output.Append(' ').Append(option.Name.ToUpperInvariant()).Append(" = ").Append(option.Value);
        }

        if (partition.Comment is not null)
        {
            output.Append(" COMMENT = ").Append(QuoteLiteral(partition.Comment));
        }

        return output.ToString();
    }

    public string WriteView(View view)
    {
        var output = new StringBuilder("CREATE");
        foreach (var option in view.Options)
        {
            output.Append(option.Name switch
            {
                "algorithm" => " ALGORITHM=",
                "security" => " SQL SECURITY ",
                _ => " " + option.Name.ToUpperInvariant() + "=",
            }).Append(option.Value.ToUpperInvariant());
        }

        output.Append(" VIEW ").Append(QuoteName(view.Name));
        if (view.ColumnNames.Count > 0)
        {
            output.Append(" (").Append(string.Join(",", view.ColumnNames.Select(QuoteIdentifier))).Append(')');
        }

        output.Append(" AS ").Append(view.Definition);
        if (view.CheckOption is not null)
        {
            output.Append(" WITH ").Append(view.CheckOption).Append(" CHECK OPTION");
        }

        return output.Append(';').ToString();
    }

    /// <summary>The type as written in a column definition: <c>decimal(10,2) unsigned</c>, <c>enum('a','b')</c>.</summary>
    public string WriteType(DataType type) => AppendType(new StringBuilder(32), type).ToString();

    private static StringBuilder AppendType(StringBuilder output, DataType type)
    {
        output.Append(type.Name);
        if (type.Values.Count > 0)
        {
            output.Append('(');
            for (var i = 0; i < type.Values.Count; i++)
            {
                if (i > 0)
                {
                    output.Append(',');
                }

                AppendLiteral(output, type.Values[i]);
            }

            output.Append(')');
        }
        else if (type.Length is not null)
        {
            output.Append('(').Append(type.Length.Value.ToString(CultureInfo.InvariantCulture)).Append(')');
        }
        else if (type.Precision is not null)
        {
            output.Append('(').Append(type.Precision.Value.ToString(CultureInfo.InvariantCulture));
            if (type.Scale is not null)
            {
                output.Append(',').Append(type.Scale.Value.ToString(CultureInfo.InvariantCulture));
            }

            output.Append(')');
        }

        if (type.Unsigned)
        {
            output.Append(" unsigned");
        }

        if (type.Zerofill)
        {
            output.Append(" zerofill");
        }

        return output;
    }

    /// <summary>A primary key clause, as in CREATE TABLE and ALTER TABLE ... ADD.</summary>
    internal string WritePrimaryKey(PrimaryKey key) => AppendPrimaryKey(new StringBuilder(64), key).ToString();

    private static StringBuilder AppendPrimaryKey(StringBuilder output, PrimaryKey key)
    {
        AppendParts(output.Append("PRIMARY KEY "), key.Parts);
        return key.Comment is null ? output : AppendLiteral(output.Append(" COMMENT "), key.Comment);
    }

    /// <summary>A CHECK constraint clause.</summary>
    internal string WriteCheck(CheckConstraint check) => AppendCheck(new StringBuilder(64), check).ToString();

    private static StringBuilder AppendCheck(StringBuilder output, CheckConstraint check) =>
        AppendIdentifier(output.Append("CONSTRAINT "), check.Name).Append(" CHECK (").Append(check.Expression).Append(')');

    /// <summary>A column definition, as in CREATE TABLE, ADD COLUMN and MODIFY COLUMN.</summary>
    internal string WriteColumn(Column column) => AppendColumn(new StringBuilder(64), column).ToString();

    private static StringBuilder AppendColumn(StringBuilder output, Column column)
    {
        AppendType(AppendIdentifier(output, column.Name).Append(' '), column.Type);
        if (column.Charset is not null)
        {
            output.Append(" CHARACTER SET ").Append(column.Charset);
        }

        if (column.Collation is not null)
        {
            output.Append(" COLLATE ").Append(column.Collation);
        }

        if (column.Generated is { } generated)
        {
            output.Append(" GENERATED ALWAYS AS (").Append(generated.Expression).Append(generated.Stored ? ") STORED" : ") VIRTUAL");
        }
        else if (!column.Nullable)
        {
            output.Append(" NOT NULL");
        }
        else if (column.Type.Name == "timestamp")
        {
            output.Append(" NULL");
        }

        if (column.Invisible)
        {
            output.Append(" INVISIBLE");
        }

        if (column.Default is { } value)
        {
            AppendDefault(output.Append(" DEFAULT "), value, column.Type);
        }

        if (column.AutoIncrement)
        {
            output.Append(" AUTO_INCREMENT");
        }

        if (column.OnUpdate is not null)
        {
            output.Append(" ON UPDATE ").Append(column.OnUpdate);
        }

        if (column.Comment is not null)
        {
            AppendLiteral(output.Append(" COMMENT "), column.Comment);
        }

        return output;
    }

    /// <summary>The SQL after DEFAULT.</summary>
    internal string WriteDefault(ColumnDefault value, DataType type) => AppendDefault(new StringBuilder(), value, type).ToString();

    private static StringBuilder AppendDefault(StringBuilder output, ColumnDefault value, DataType type)
    {
        if (value.Kind == DefaultKind.Expression)
        {
            return output.Append('(').Append(value.Value).Append(')');
        }

        return NumericTypes.Contains(type.Name) && MySqlExpressions.IsNumber(value.Value) ? output.Append(value.Value) : AppendLiteral(output, value.Value);
    }

    /// <summary>An index clause (<c>UNIQUE KEY name (...)</c>), as in CREATE TABLE and ALTER TABLE ... ADD.</summary>
    internal string WriteIndex(Index index) => AppendIndex(new StringBuilder(64), index).ToString();

    private StringBuilder AppendIndex(StringBuilder output, Index index)
    {
        output.Append(index.Kind switch
        {
            IndexKind.Unique => "UNIQUE KEY ",
            IndexKind.FullText => "FULLTEXT KEY ",
            IndexKind.Spatial => "SPATIAL KEY ",
            _ => "KEY ",
        });
        AppendParts(AppendIdentifier(output, index.Name).Append(' '), index.Parts);
        if (index.Method is not null)
        {
            output.Append(" USING ").Append(index.Method.ToUpperInvariant());
        }

        foreach (var option in index.Options)
        {
            if (option.Name == "parser")
            {
                AppendIdentifier(output.Append(" WITH PARSER "), option.Value);
            }
            else
            {
                output.Append(' ').Append(option.Name.ToUpperInvariant()).Append('=').Append(option.Value);
            }
        }

        if (index.Comment is not null)
        {
            AppendLiteral(output.Append(" COMMENT "), index.Comment);
        }

        if (index.Invisible)
        {
            output.Append(kind == DialectKind.MariaDb ? " IGNORED" : " INVISIBLE");
        }

        return output;
    }

    private static StringBuilder AppendParts(StringBuilder output, EquatableList<IndexKeyPart> parts)
    {
        output.Append('(');
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            if (i > 0)
            {
                output.Append(',');
            }

            if (part.Column is null)
            {
                output.Append('(').Append(part.Expression).Append(')');
            }
            else
            {
                AppendIdentifier(output, part.Column);
            }

            if (part.PrefixLength is not null)
            {
                output.Append('(').Append(part.PrefixLength.Value.ToString(CultureInfo.InvariantCulture)).Append(')');
            }

            if (part.Order == SortOrder.Descending)
            {
                output.Append(" DESC");
            }
        }

        return output.Append(')');
    }

    /// <summary>A foreign key clause with its constraint name.</summary>
    internal string WriteForeignKey(ForeignKey key) => AppendForeignKey(new StringBuilder(128), key).ToString();

    private StringBuilder AppendForeignKey(StringBuilder output, ForeignKey key)
    {
        AppendIdentifier(output.Append("CONSTRAINT "), key.Name).Append(" FOREIGN KEY (");
        AppendIdentifiers(output, key.Columns).Append(") REFERENCES ").Append(QuoteName(key.ReferencedTable)).Append(" (");
        AppendIdentifiers(output, key.ReferencedColumns).Append(')');
        if (key.OnDelete != ReferentialAction.NoAction)
        {
            output.Append(" ON DELETE ").Append(Action(key.OnDelete));
        }

        if (key.OnUpdate != ReferentialAction.NoAction)
        {
            output.Append(" ON UPDATE ").Append(Action(key.OnUpdate));
        }

        return output;
    }

    /// <summary>The SQL words of a foreign key action.</summary>
    internal static string Action(ReferentialAction action) => action switch
    {
        ReferentialAction.Restrict => "RESTRICT",
        ReferentialAction.Cascade => "CASCADE",
        ReferentialAction.SetNull => "SET NULL",
        ReferentialAction.SetDefault => "SET DEFAULT",
        _ => "NO ACTION",
    };

    /// <summary>Names a view's query mentions (back-quoted or bare), to order views after the views they read.</summary>
    private static IEnumerable<string> ReferencedNames(string definition) =>
        MySqlLexer.Lex(new Syntax.SourceFile(string.Empty, definition)).Tokens
            .Where(t => t.IsIdentifierLike)
            .Select(t => t.Value);

}
