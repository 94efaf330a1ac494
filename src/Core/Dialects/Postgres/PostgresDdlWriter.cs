using System.Collections.Generic;
using System.Linq;
using System.Text;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Dialects.Postgres;

/// <summary>
/// Writes a normalized PostgreSQL model as canonical declarative SQL that the parser reads back to
/// an equal model and the server runs as is. Order: schemas, extensions, enum types, functions kept
/// verbatim, sequences, tables (primary keys, unique and check constraints inline), sequence ownership,
/// foreign keys (as ALTER TABLE, so tables may reference each other in any order), indexes, views in
/// dependency order, other verbatim statements, comments.
/// </summary>
public sealed class PostgresDdlWriter : IDdlWriter
{
    /// <summary>Verbatim kinds that tables may depend on, so they are written before them.</summary>
    private static readonly HashSet<string> EarlyVerbatim = new() { "FUNCTION", "PROCEDURE", "AGGREGATE", "DOMAIN", "TYPE", "COLLATION", "OPERATOR", "CAST" };

    public string QuoteIdentifier(string name) => PostgresQuoting.Identifier(name);

    public string QuoteLiteral(string value) => PostgresQuoting.Literal(value);

    public string Comment(string text) => SqlComment.Line(text);

    public string QuoteName(QualifiedName name) =>
        name.Schema is null ? QuoteIdentifier(name.Name) : QuoteIdentifier(name.Schema) + "." + QuoteIdentifier(name.Name);

    public string WriteSchema(Schema schema)
    {
        var sql = new StringBuilder();
        foreach (var ns in schema.Namespaces)
        {
            sql.Append("CREATE SCHEMA ").Append(QuoteIdentifier(ns.Name)).Append(";\n");
        }

        foreach (var extension in schema.Extensions)
        {
            sql.Append("CREATE EXTENSION IF NOT EXISTS ").Append(QuoteIdentifier(extension.Name));
            if (extension.Schema is not null)
            {
                sql.Append(" WITH SCHEMA ").Append(QuoteIdentifier(extension.Schema));
            }

            if (extension.Version is not null)
            {
                sql.Append(" VERSION ").Append(QuoteLiteral(extension.Version));
            }

            sql.Append(";\n");
        }

        foreach (var type in schema.EnumTypes)
        {
            sql.Append('\n').Append(WriteEnumType(type)).Append(";\n");
        }

        WriteVerbatim(sql, schema.Verbatim.Where(v => EarlyVerbatim.Contains(v.Kind)));
        foreach (var sequence in schema.Sequences)
        {
            sql.Append('\n').Append(WriteSequence(sequence)).Append(";\n");
        }

        // Partitions and INHERITS children after their parents.
        foreach (var table in DependencyOrder.Sort(schema.Tables, t => t.Name.ToString(), t => t.Parents().Select(p => p.ToString())))
        {
            sql.Append('\n').Append(WriteTable(table, foreignKeys: false));
        }

        foreach (var sequence in schema.Sequences.Where(s => s.OwnedBy is not null))
        {
            sql.Append('\n').Append(WriteSequenceOwner(sequence)).Append(";\n");
        }

        foreach (var table in schema.Tables)
        {
            foreach (var fk in table.ForeignKeys)
            {
                sql.Append("\nALTER TABLE ").Append(QuoteName(table.Name)).Append("\n    ADD ").Append(ForeignKey(fk)).Append(";\n");
            }
        }

        foreach (var view in ViewsInDependencyOrder(schema.Views))
        {
            sql.Append('\n').Append(WriteView(view));
        }

        WriteVerbatim(sql, schema.Verbatim.Where(v => !EarlyVerbatim.Contains(v.Kind)));
        foreach (var privileges in schema.Privileges)
        {
            foreach (var statement in PostgresPrivileges.Statements(new Diff.ChangePrivileges(null, privileges), this))
            {
                sql.Append('\n').Append(statement).Append(";\n");
            }
        }

        foreach (var ns in schema.Namespaces.Where(n => n.Comment is not null))
        {
            sql.Append("\nCOMMENT ON SCHEMA ").Append(QuoteIdentifier(ns.Name)).Append(" IS ").Append(QuoteLiteral(ns.Comment!)).Append(";\n");
        }

        foreach (var type in schema.EnumTypes.Where(t => t.Comment is not null))
        {
            sql.Append("\nCOMMENT ON TYPE ").Append(QuoteName(type.Name)).Append(" IS ").Append(QuoteLiteral(type.Comment!)).Append(";\n");
        }

        foreach (var sequence in schema.Sequences.Where(s => s.Comment is not null))
        {
            sql.Append("\nCOMMENT ON SEQUENCE ").Append(QuoteName(sequence.Name)).Append(" IS ").Append(QuoteLiteral(sequence.Comment!)).Append(";\n");
        }

        return sql.ToString();
    }

    private static void WriteVerbatim(StringBuilder sql, IEnumerable<VerbatimStatement> statements)
    {
        foreach (var statement in statements)
        {
            sql.Append('\n').Append(statement.Text).Append(";\n");
        }
    }

    public string WriteTable(Table table) => WriteTable(table, foreignKeys: true);

    private string? TableComment(Table table) =>
        table.Comment is null ? null : "COMMENT ON TABLE " + QuoteName(table.Name) + " IS " + QuoteLiteral(table.Comment);

    internal string PartitionBy(Partitioning? partitioning) =>
        partitioning is null ? string.Empty : "\nPARTITION BY " + partitioning.Method.ToString().ToUpperInvariant() + " (" + string.Join(", ", partitioning.KeyParts.Select(KeyPart)) + ")";

    private string WriteTable(Table table, bool foreignKeys) => string.Concat(TableStatements(table, foreignKeys).Select(statement => statement + ";\n"));

    /// <summary>
    /// CREATE TABLE with its indexes and comments, one statement each and without terminators: the planner takes them as
    /// they are rather than splitting <see cref="WriteTable(Table)"/>'s text again.
    /// </summary>
    internal IEnumerable<string> TableStatements(Table table) => TableStatements(table, foreignKeys: true);

    private IEnumerable<string> TableStatements(Table table, bool foreignKeys)
    {
        // Builders start at the size their statement usually takes: one grown from the default 16 characters allocates a new
        // chunk and builder object at every doubling, which made writing a large schema's tables allocate many times their text.
        var sql = new StringBuilder(1024);
        sql.Append(table.Options.Unlogged ? "CREATE UNLOGGED TABLE " : "CREATE TABLE ").Append(QuoteName(table.Name));
        if (table.PartitionOf is { } parent)
        {
            // The partition takes its parent's columns, keys and indexes.
            sql.Append(" PARTITION OF ").Append(QuoteName(parent)).Append("\n    ").Append(table.PartitionBound ?? "DEFAULT").Append(PartitionBy(table.Partitioning));
            yield return sql.ToString();
            if (TableComment(table) is { } partitionComment)
            {
                yield return partitionComment;
            }

            yield break;
        }

        sql.Append(" (");
        AppendTableBody(sql, table, foreignKeys);
        sql.Append(')');
        if (table.Inherits.Count > 0)
        {
            sql.Append("\nINHERITS (").Append(string.Join(", ", table.Inherits.Select(QuoteName))).Append(')');
        }

        sql.Append(PartitionBy(table.Partitioning)).Append(WithOptions(table.Options.Other));
        yield return sql.ToString();
        foreach (var index in table.Indexes.Where(i => !i.IsConstraint))
        {
            yield return IndexStatement(table.Name, index);
        }

        if (TableComment(table) is { } comment)
        {
            yield return comment;
        }

        foreach (var column in table.Columns.Where(c => c.Comment is not null))
        {
            yield return "COMMENT ON COLUMN " + QuoteName(table.Name) + "." + QuoteIdentifier(column.Name) + " IS " + QuoteLiteral(column.Comment!);
        }

        foreach (var index in table.Indexes.Where(i => i.Comment is not null))
        {
            yield return "COMMENT ON INDEX " + QuoteName(new QualifiedName(table.Name.Schema, index.Name)) + " IS " + QuoteLiteral(index.Comment!);
        }
    }

    /// <summary>
    /// The lines inside CREATE TABLE's parentheses (columns, primary key, unique and check constraints, foreign keys), each
    /// written straight into <paramref name="sql"/>: a string and a builder per line made a large schema's tables allocate
    /// many times their text.
    /// </summary>
    private void AppendTableBody(StringBuilder sql, Table table, bool foreignKeys)
    {
        var lines = 0;
        StringBuilder Line() => sql.Append(lines++ == 0 ? "\n    " : ",\n    ");
        foreach (var column in table.Columns)
        {
            AppendColumn(Line(), column);
        }

        if (table.PrimaryKey is { } pk)
        {
            Line().Append("CONSTRAINT ").Append(QuoteIdentifier(pk.Name)).Append(" PRIMARY KEY (");
            AppendColumnList(sql, pk.Parts);
            sql.Append(')').Append(Include(pk.Include));
        }

        foreach (var unique in table.Indexes)
        {
            if (!unique.IsConstraint)
            {
                continue;
            }

            Line().Append("CONSTRAINT ").Append(QuoteIdentifier(unique.Name)).Append(" UNIQUE").Append(unique.NullsNotDistinct ? " NULLS NOT DISTINCT" : string.Empty).Append(" (");
            AppendColumnList(sql, unique.Parts);
            sql.Append(')').Append(Include(unique.Include)).Append(WithOptions(unique.Options)).Append(Deferrable(unique.Deferrability));
        }

        foreach (var check in table.Checks)
        {
            AppendCheck(Line(), check);
        }

        if (foreignKeys)
        {
            foreach (var fk in table.ForeignKeys)
            {
                AppendForeignKey(Line(), fk);
            }
        }

        if (lines > 0)
        {
            sql.Append('\n');
        }
    }

    /// <summary>Key parts that are columns, quoted and separated by commas.</summary>
    private void AppendColumnList(StringBuilder sql, EquatableList<IndexKeyPart> parts)
    {
        for (var i = 0; i < parts.Count; i++)
        {
            sql.Append(i == 0 ? string.Empty : ", ").Append(QuoteIdentifier(parts[i].Column!));
        }
    }

    /// <summary>CREATE TYPE ... AS ENUM (...), without the terminator.</summary>
    internal string WriteEnumType(EnumType type) =>
        "CREATE TYPE " + QuoteName(type.Name) + " AS ENUM (" + string.Join(", ", type.Labels.Select(QuoteLiteral)) + ")";

    /// <summary>CREATE SEQUENCE with every option; ownership is separate (<see cref="WriteSequenceOwner"/>), the table may not exist yet.</summary>
    internal string WriteSequence(Sequence sequence) => "CREATE SEQUENCE " + QuoteName(sequence.Name) + SequenceOptions(sequence.Options, withType: true);

    /// <summary>ALTER SEQUENCE ... OWNED BY table.column (or NONE).</summary>
    internal string WriteSequenceOwner(Sequence sequence) => "ALTER SEQUENCE " + QuoteName(sequence.Name) + OwnedBy(sequence);

    /// <summary>ALTER SEQUENCE setting every option and the owner to those of <paramref name="sequence"/>.</summary>
    internal string WriteAlterSequence(Sequence sequence) =>
        "ALTER SEQUENCE " + QuoteName(sequence.Name) + SequenceOptions(sequence.Options, withType: true)
        + (sequence.Options.Cycle ? string.Empty : " NO CYCLE") + OwnedBy(sequence);

    private string OwnedBy(Sequence sequence) =>
        " OWNED BY " + (sequence.OwnedBy is null ? "NONE" : string.Join(".", sequence.OwnedBy.Split('.').Select(QuoteIdentifier)));

    // The static method group: C# caches its delegate, where the instance one allocated a delegate per column written.
    internal string WriteType(DataType type) => PostgresTypes.Format(type, PostgresQuoting.Identifier);

    /// <summary>The SQL after DEFAULT.</summary>
    internal string WriteDefault(ColumnDefault value) =>
        WrittenSql.Or(value.Written, value.Kind == DefaultKind.Literal ? QuoteLiteral(value.Value) : value.Value);

    internal string WriteIdentity(IdentityColumn identity) =>
        (identity.Always ? "GENERATED ALWAYS AS IDENTITY (" : "GENERATED BY DEFAULT AS IDENTITY (") + SequenceOptions(identity.Options, withType: false).Trim() + ")";

    internal string WriteCheck(CheckConstraint check) => AppendCheck(new StringBuilder(128), check).ToString();

    private StringBuilder AppendCheck(StringBuilder sql, CheckConstraint check) =>
        sql.Append("CONSTRAINT ").Append(QuoteIdentifier(check.Name)).Append(" CHECK (").Append(WrittenSql.Or(check.Written, check.Expression)).Append(')')
            .Append(check.NoInherit ? " NO INHERIT" : string.Empty);

    internal string WriteForeignKey(ForeignKey fk) => ForeignKey(fk);

    /// <summary>CREATE [UNIQUE] INDEX statement with its terminator and line end.</summary>
    internal string WriteIndex(Table table, Index index) => Index(table, index);

    /// <summary>A column definition, as in CREATE TABLE and ADD COLUMN.</summary>
    internal string WriteColumn(Column column) => Column(column);

    private string Column(Column column) => AppendColumn(new StringBuilder(128), column).ToString();

    private StringBuilder AppendColumn(StringBuilder sql, Column column)
    {
        sql.Append(QuoteIdentifier(column.Name)).Append(' ').Append(WriteType(column.Type));
        if (column.Collation is not null)
        {
            sql.Append(" COLLATE ").Append(QuoteIdentifier(column.Collation));
        }

        if (column.Generated is not null)
        {
            sql.Append(" GENERATED ALWAYS AS (").Append(WrittenSql.Or(column.Generated.Written, column.Generated.Expression)).Append(") STORED");
        }

        if (column.Identity is not null)
        {
            sql.Append(' ').Append(WriteIdentity(column.Identity));
        }

        if (column.Default is not null)
        {
            sql.Append(" DEFAULT ").Append(WriteDefault(column.Default));
        }

        if (!column.Nullable)
        {
            sql.Append(" NOT NULL");
        }

        return sql;
    }

    private static string SequenceOptions(SequenceOptions options, bool withType)
    {
        var sql = new StringBuilder();
        if (withType && options.DataType is not null)
        {
            sql.Append(" AS ").Append(options.DataType);
        }

        if (options.Start is not null)
        {
            sql.Append(" START WITH ").Append(options.Start);
        }

        if (options.Increment is not null)
        {
            sql.Append(" INCREMENT BY ").Append(options.Increment);
        }

        sql.Append(options.MinValue is null ? " NO MINVALUE" : " MINVALUE " + options.MinValue);
        sql.Append(options.MaxValue is null ? " NO MAXVALUE" : " MAXVALUE " + options.MaxValue);
        if (options.Cache is not null)
        {
            sql.Append(" CACHE ").Append(options.Cache);
        }

        if (options.Cycle)
        {
            sql.Append(" CYCLE");
        }

        return sql.ToString();
    }

    private string Include(EquatableList<string> include) =>
        include.Count == 0 ? string.Empty : " INCLUDE (" + string.Join(", ", include.Select(QuoteIdentifier)) + ")";

    private string WithOptions(EquatableList<ObjectOption> options) =>
        options.Count == 0 ? string.Empty : " WITH (" + string.Join(", ", options.Select(o => o.Name + "=" + QuoteLiteral(o.Value))) + ")";

    private static string Deferrable(Deferrability deferrability) => deferrability switch
    {
        Deferrability.DeferrableInitiallyDeferred => " DEFERRABLE INITIALLY DEFERRED",
        Deferrability.DeferrableInitiallyImmediate => " DEFERRABLE",
        _ => string.Empty,
    };

    private string ForeignKey(ForeignKey fk) => AppendForeignKey(new StringBuilder(128), fk).ToString();

    private StringBuilder AppendForeignKey(StringBuilder sql, ForeignKey fk)
    {
        sql.Append("CONSTRAINT ").Append(QuoteIdentifier(fk.Name)).Append(" FOREIGN KEY (")
            .Append(string.Join(", ", fk.Columns.Select(QuoteIdentifier))).Append(") REFERENCES ").Append(QuoteName(fk.ReferencedTable));
        if (fk.ReferencedColumns.Count > 0)
        {
            sql.Append(" (").Append(string.Join(", ", fk.ReferencedColumns.Select(QuoteIdentifier))).Append(')');
        }

        if (fk.MatchFull)
        {
            sql.Append(" MATCH FULL");
        }

        if (fk.OnUpdate != ReferentialAction.NoAction)
        {
            sql.Append(" ON UPDATE ").Append(Action(fk.OnUpdate));
        }

        if (fk.OnDelete != ReferentialAction.NoAction)
        {
            sql.Append(" ON DELETE ").Append(Action(fk.OnDelete));
        }

        return sql.Append(Deferrable(fk.Deferrability));
    }

    private static string Action(ReferentialAction action) => action switch
    {
        ReferentialAction.Cascade => "CASCADE",
        ReferentialAction.Restrict => "RESTRICT",
        ReferentialAction.SetNull => "SET NULL",
        ReferentialAction.SetDefault => "SET DEFAULT",
        _ => "NO ACTION",
    };

    private string Index(Table table, Index index) => Index(table.Name, index);

    private string Index(QualifiedName relation, Index index) => IndexStatement(relation, index) + ";\n";

    private string IndexStatement(QualifiedName relation, Index index)
    {
        var sql = new StringBuilder(128).Append(index.Kind == IndexKind.Unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ")
            .Append(QuoteIdentifier(index.Name)).Append(" ON ").Append(QuoteName(relation));
        if (index.Method is not null)
        {
            sql.Append(" USING ").Append(QuoteIdentifier(index.Method));
        }

        sql.Append(" (");
        for (var i = 0; i < index.Parts.Count; i++)
        {
            AppendKeyPart(sql.Append(i == 0 ? string.Empty : ", "), index.Parts[i]);
        }

        sql.Append(')').Append(Include(index.Include));
        if (index.NullsNotDistinct)
        {
            sql.Append(" NULLS NOT DISTINCT");
        }

        sql.Append(WithOptions(index.Options));
        if (index.Predicate is not null)
        {
            sql.Append(" WHERE ").Append(WrittenSql.Or(index.WrittenPredicate, index.Predicate));
        }

        return sql.ToString();
    }

    private string KeyPart(IndexKeyPart part) => AppendKeyPart(new StringBuilder(64), part).ToString();

    private StringBuilder AppendKeyPart(StringBuilder sql, IndexKeyPart part)
    {
        if (part.Column is not null)
        {
            sql.Append(QuoteIdentifier(part.Column));
        }
        else
        {
            sql.Append('(').Append(WrittenSql.Or(part.Written, part.Expression!)).Append(')');
        }

        if (part.Collation is not null)
        {
            sql.Append(" COLLATE ").Append(QuoteIdentifier(part.Collation));
        }

        if (part.OperatorClass is not null)
        {
            sql.Append(' ').Append(QuoteIdentifier(part.OperatorClass));
        }

        if (part.Order == SortOrder.Descending)
        {
            sql.Append(" DESC");
        }

        if (part.Nulls != NullsOrder.Default)
        {
            sql.Append(part.Nulls == NullsOrder.First ? " NULLS FIRST" : " NULLS LAST");
        }

        return sql;
    }

    public string WriteView(View view)
    {
        var sql = new StringBuilder(view.Materialized ? "CREATE MATERIALIZED VIEW " : "CREATE VIEW ").Append(QuoteName(view.Name));
        if (!view.Written.IsNone && !view.WrittenColumns.IsNone)
        {
            // The column list as written belongs to the query as written (the canonical query carries the names as aliases).
            sql.Append(' ').Append(view.WrittenColumns.Text);
        }
        else if (view.ColumnNames.Count > 0)
        {
            sql.Append(" (").Append(string.Join(", ", view.ColumnNames.Select(QuoteIdentifier))).Append(')');
        }

        sql.Append(WithOptions(view.Options)).Append(" AS\n").Append(WrittenSql.Or(view.Written, view.Definition));
        if (view.CheckOption is not null)
        {
            sql.Append("\n  WITH ").Append(view.CheckOption).Append(" CHECK OPTION");
        }

        if (view.Materialized && !view.WrittenData.IsNone)
        {
            sql.Append('\n').Append(view.WrittenData.Text);
        }

        sql.Append(";\n");
        foreach (var index in view.Indexes)
        {
            sql.Append(Index(view.Name, index));
        }

        if (view.Comment is not null)
        {
            sql.Append("COMMENT ON ").Append(view.Materialized ? "MATERIALIZED VIEW " : "VIEW ").Append(QuoteName(view.Name))
                .Append(" IS ").Append(QuoteLiteral(view.Comment)).Append(";\n");
        }

        foreach (var index in view.Indexes.Where(i => i.Comment is not null))
        {
            sql.Append("COMMENT ON INDEX ").Append(QuoteName(new QualifiedName(view.Name.Schema, index.Name)))
                .Append(" IS ").Append(QuoteLiteral(index.Comment!)).Append(";\n");
        }

        return sql.ToString();
    }

    /// <summary>Views that read other views come after them; a view's dependencies are the views its text names.</summary>
    private IEnumerable<View> ViewsInDependencyOrder(EquatableList<View> views) =>
        DependencyOrder.Sort(views, v => v.Name.ToString(), v => views.Where(o => o.Name != v.Name && Mentions(v.Definition, QuoteName(o.Name))).Select(o => o.Name.ToString()));

    private static bool Mentions(string text, string name)
    {
        for (var at = text.IndexOf(name, System.StringComparison.Ordinal); at >= 0; at = text.IndexOf(name, at + 1, System.StringComparison.Ordinal))
        {
            var end = at + name.Length;
            if ((at == 0 || !char.IsLetterOrDigit(text[at - 1])) && (end == text.Length || !(char.IsLetterOrDigit(text[end]) || text[end] == '_')))
            {
                return true;
            }
        }

        return false;
    }
}
