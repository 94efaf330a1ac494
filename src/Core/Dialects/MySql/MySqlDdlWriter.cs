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

    public string QuoteLiteral(string value)
    {
        var output = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            output.Append(c switch
            {
                '\'' => "''",
                '\\' => "\\\\",
                '\0' => "\\0",
                '\n' => "\\n",
                '\r' => "\\r",
                '\u001a' => "\\Z",
                _ => c.ToString(),
            });
        }

        return output.Append('\'').ToString();
    }

    public string Comment(string text) => SqlComment.Line(text);

    public string QuoteName(QualifiedName name) =>
        name.Schema is null ? QuoteIdentifier(name.Name) : QuoteIdentifier(name.Schema) + "." + QuoteIdentifier(name.Name);

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
        var lines = new List<string>();
        lines.AddRange(table.Columns.Select(WriteColumn));
        if (table.PrimaryKey is { } key)
        {
            lines.Add(WritePrimaryKey(key));
        }

        lines.AddRange(table.Indexes.Select(WriteIndex));
        lines.AddRange(table.ForeignKeys.Select(WriteForeignKey));
        lines.AddRange(table.Checks.Select(WriteCheck));
        var output = new StringBuilder();
        output.Append("CREATE TABLE ").Append(QuoteName(table.Name)).Append(" (\n  ");
        output.Append(string.Join(",\n  ", lines));
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
            output.Append(" COMMENT=").Append(QuoteLiteral(table.Comment));
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
    public string WriteType(DataType type)
    {
        var output = new StringBuilder(type.Name);
        if (type.Values.Count > 0)
        {
            output.Append('(').Append(string.Join(",", type.Values.Select(QuoteLiteral))).Append(')');
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

        return output.ToString();
    }

    /// <summary>A primary key clause, as in CREATE TABLE and ALTER TABLE ... ADD.</summary>
    internal string WritePrimaryKey(PrimaryKey key) =>
        "PRIMARY KEY " + WriteParts(key.Parts) + (key.Comment is null ? string.Empty : " COMMENT " + QuoteLiteral(key.Comment));

    /// <summary>A CHECK constraint clause.</summary>
    internal string WriteCheck(CheckConstraint check) => "CONSTRAINT " + QuoteIdentifier(check.Name) + " CHECK (" + check.Expression + ")";

    /// <summary>A column definition, as in CREATE TABLE, ADD COLUMN and MODIFY COLUMN.</summary>
    internal string WriteColumn(Column column)
    {
        var output = new StringBuilder(QuoteIdentifier(column.Name)).Append(' ').Append(WriteType(column.Type));
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
            output.Append(" DEFAULT ").Append(WriteDefault(value, column.Type));
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
            output.Append(" COMMENT ").Append(QuoteLiteral(column.Comment));
        }

        return output.ToString();
    }

    /// <summary>The SQL after DEFAULT.</summary>
    internal string WriteDefault(ColumnDefault value, DataType type)
    {
        if (value.Kind == DefaultKind.Expression)
        {
            return "(" + value.Value + ")";
        }

        return NumericTypes.Contains(type.Name) && MySqlExpressions.IsNumber(value.Value) ? value.Value : QuoteLiteral(value.Value);
    }

    /// <summary>An index clause (<c>UNIQUE KEY name (...)</c>), as in CREATE TABLE and ALTER TABLE ... ADD.</summary>
    internal string WriteIndex(Index index)
    {
        var output = new StringBuilder(index.Kind switch
        {
            IndexKind.Unique => "UNIQUE KEY ",
            IndexKind.FullText => "FULLTEXT KEY ",
            IndexKind.Spatial => "SPATIAL KEY ",
            _ => "KEY ",
        });
        output.Append(QuoteIdentifier(index.Name)).Append(' ').Append(WriteParts(index.Parts));
        if (index.Method is not null)
        {
            output.Append(" USING ").Append(index.Method.ToUpperInvariant());
        }

        foreach (var option in index.Options)
        {
            output.Append(option.Name == "parser" ? " WITH PARSER " + QuoteIdentifier(option.Value) : " " + option.Name.ToUpperInvariant() + "=" + option.Value);
        }

        if (index.Comment is not null)
        {
            output.Append(" COMMENT ").Append(QuoteLiteral(index.Comment));
        }

        if (index.Invisible)
        {
            output.Append(kind == DialectKind.MariaDb ? " IGNORED" : " INVISIBLE");
        }

        return output.ToString();
    }

    private string WriteParts(EquatableList<IndexKeyPart> parts) =>
        "(" + string.Join(",", parts.Select(p =>
            (p.Column is null ? "(" + p.Expression + ")" : QuoteIdentifier(p.Column))
            + (p.PrefixLength is null ? string.Empty : "(" + p.PrefixLength.Value.ToString(CultureInfo.InvariantCulture) + ")")
            + (p.Order == SortOrder.Descending ? " DESC" : string.Empty))) + ")";

    /// <summary>A foreign key clause with its constraint name.</summary>
    internal string WriteForeignKey(ForeignKey key)
    {
        var output = new StringBuilder("CONSTRAINT ").Append(QuoteIdentifier(key.Name))
            .Append(" FOREIGN KEY (").Append(string.Join(",", key.Columns.Select(QuoteIdentifier)))
            .Append(") REFERENCES ").Append(QuoteName(key.ReferencedTable))
            .Append(" (").Append(string.Join(",", key.ReferencedColumns.Select(QuoteIdentifier))).Append(')');
        if (key.OnDelete != ReferentialAction.NoAction)
        {
            output.Append(" ON DELETE ").Append(Action(key.OnDelete));
        }

        if (key.OnUpdate != ReferentialAction.NoAction)
        {
            output.Append(" ON UPDATE ").Append(Action(key.OnUpdate));
        }

        return output.ToString();
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
