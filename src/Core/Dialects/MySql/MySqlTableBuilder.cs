using System.Collections.Generic;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Dialects.MySql;

/// <summary>
/// The parts of one CREATE TABLE while it is being read. Inline and out-of-line keys and
/// constraints land in the same lists, in source order, which is the order the server names
/// unnamed ones in.
/// </summary>
internal sealed class MySqlTableBuilder
{
    public MySqlTableBuilder(QualifiedName name) => Name = name;

    public QualifiedName Name { get; }

    public List<Column> Columns { get; } = new();

    public PrimaryKey? PrimaryKey { get; set; }

    public List<Index> Indexes { get; } = new();

    public List<ForeignKey> ForeignKeys { get; } = new();

    public List<CheckConstraint> Checks { get; } = new();

    /// <summary>Columns declared with the BINARY attribute: their collation is the charset's _bin one.</summary>
    public HashSet<string> BinaryColumns { get; } = new();

    public TableOptions Options { get; set; } = TableOptions.Default;

    public string? Comment { get; set; }

    public Partitioning? Partitioning { get; set; }

    public SourceSpan Span { get; set; } = SourceSpan.None;

    public Annotations Annotations { get; set; } = Annotations.None;

    public Table Build()
    {
        var charset = Options.Charset ?? (Options.Collation is null ? null : MySqlNames.CharsetOfCollation(Options.Collation));
        var columns = new List<Column>();
        foreach (var column in Columns)
        {
            if (BinaryColumns.Contains(column.Name) && column.Collation is null)
            {
                var columnCharset = column.Charset ?? charset ?? MySqlDefaults.Charset;
                columns.Add(column with { Charset = columnCharset, Collation = MySqlNames.CanonicalCharset(columnCharset) + "_bin" });
            }
            else
            {
                columns.Add(column);
            }
        }

        return new Table(Name)
        {
            Columns = columns.ToEquatableList(),
            PrimaryKey = PrimaryKey,
            Indexes = Indexes.ToEquatableList(),
            ForeignKeys = ForeignKeys.ToEquatableList(),
            Checks = Checks.ToEquatableList(),
            Options = Options,
            Comment = Comment,
            Partitioning = Partitioning,
            Span = Span,
            Annotations = Annotations,
        };
    }
}
