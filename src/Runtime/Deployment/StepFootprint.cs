using System.Collections.Generic;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Diff;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Runtime.Deployment;

/// <summary>
/// What a plan step touches, for <see cref="GatedOrder"/>: the objects it changes or is about (<see cref="Names"/>:
/// tables, views, sequences, enum types, the indexes and constraints it adds, drops or renames) and the words it
/// merely mentions (<see cref="Mentions"/>: a view's definition, a default, a grant's text, a column's type). Two
/// steps relate when one's names meet the other's names or mentions; two mentions of the same word do not (every
/// table with a <c>DEFAULT now()</c> does not relate to every other). Names compare ignoring case, unqualified.
/// </summary>
internal sealed class StepFootprint
{
    /// <summary>Null: the engine is not known, and every index or constraint name counts as unique in its schema (the cautious reading).</summary>
    private readonly EngineProfile? engine;

    private StepFootprint(EngineProfile? engine) => this.engine = engine;

    public HashSet<string> Names { get; } = new(System.StringComparer.OrdinalIgnoreCase);

    public HashSet<string> Mentions { get; } = new(System.StringComparer.OrdinalIgnoreCase);

    public bool Overlaps(StepFootprint other) => Names.Overlaps(other.Names) || Names.Overlaps(other.Mentions) || Mentions.Overlaps(other.Names);

    public static StepFootprint Of(Core.Planning.PlanStep step, EngineProfile? engine)
    {
        var footprint = new StepFootprint(engine);
        if (step.Table is { } table)
        {
            footprint.Names.Add(table.Name);
        }

        foreach (var change in step.Changes)
        {
            footprint.Add(change);
        }

        return footprint;
    }

    private void Add(SchemaChange change)
    {
        switch (change)
        {
            case CreateTable c: AddTable(c.Table); break;
            case DropTable c: AddTable(c.Table); break;
            case RenameTable c: Names.Add(c.From.Name); AddTable(c.Table); break;
            case AlterTableOptions c: AddTable(c.To); break;
            case ChangePartitioning c: AddTable(c.To); break;
            case ReorderColumns c: AddTable(c.To); break;
            case AddForeignKey c: AddTable(c.Table); Names.Add(c.ForeignKey.ReferencedTable.Name); AddElement(c.Table, c.ForeignKey.Name, engine?.ForeignKeyNamesPerSchema); break;
            case DropForeignKey c: AddTable(c.Table); Names.Add(c.ForeignKey.ReferencedTable.Name); AddElement(c.Table, c.ForeignKey.Name, engine?.ForeignKeyNamesPerSchema); break;
            case AddIndex c: AddTable(c.Table); AddElement(c.Table, c.Index.Name, engine?.IndexNamesPerSchema); break;
            case DropIndex c: AddTable(c.Table); AddElement(c.Table, c.Index.Name, engine?.IndexNamesPerSchema); break;
            case AddCheck c: AddTable(c.Table); AddElement(c.Table, c.Check.Name, engine?.CheckNamesPerSchema); break;
            case DropCheck c: AddTable(c.Table); AddElement(c.Table, c.Check.Name, engine?.CheckNamesPerSchema); break;
            case ChangePrimaryKey c: AddTable(c.Table); AddElement(c.Table, c.From?.Name, engine?.IndexNamesPerSchema); AddElement(c.Table, c.To?.Name, engine?.IndexNamesPerSchema); break;
            case RenameTableElement c: AddTable(c.Table); AddElement(c.Table, c.From, PerSchema(c.Element)); AddElement(c.Table, c.To, PerSchema(c.Element)); break;
            case AddColumn c: AddTable(c.Table); AddColumn(c.Column); break;
            case AlterColumn c: AddTable(c.Table); AddColumn(c.From); AddColumn(c.To); break;
            case DropColumn c: AddTable(c.Table); break;
            case RenameColumn c: AddTable(c.Table); break;
            case CreateView c: AddView(c.View); break;
            case DropView c: AddView(c.View); break;
            case ReplaceView c: AddView(c.From); AddView(c.To); break;
            case CreateSequence c: AddSequence(c.Sequence); break;
            case AlterSequence c: AddSequence(c.From); AddSequence(c.To); break;
            case DropSequence c: AddSequence(c.Sequence); break;
            case CreateEnumType c: Names.Add(TypeKey(c.Type.Name.Name)); break;
            case AlterEnumType c: Names.Add(TypeKey(c.To.Name.Name)); break;
            case DropEnumType c: Names.Add(TypeKey(c.Type.Name.Name)); break;
            case ChangePrivileges c when (c.To ?? c.From)! is { ObjectKind: not "SCHEMA" } privileges: Names.Add(privileges.Object.Name); break;
            case ChangeVerbatim c: AddVerbatim((c.To ?? c.From)!); break;
        }
    }

    /// <summary>A table, the tables its foreign keys reference, and what its columns mention.</summary>
    private void AddTable(Table table)
    {
        Names.Add(table.Name.Name);
        foreach (var key in table.ForeignKeys)
        {
            Names.Add(key.ReferencedTable.Name);
        }

        // An enum change converts every column of the type; a default may name a sequence.
        foreach (var column in table.Columns)
        {
            AddColumn(column);
        }
    }

    private void AddColumn(Column column)
    {
        if (column.Type.TypeSchema is not null)
        {
            // A user type (PostgreSQL enum, domain); built-in types have no schema.
            Mentions.Add(TypeKey(column.Type.Name));
        }

        AddWords(column.Default?.Value);
        AddWords(column.Generated?.Expression);
    }

    /// <summary>A sequence, and the table of the column that owns it (<c>OWNED BY table.column</c>: that column must exist).</summary>
    private void AddSequence(Sequence sequence)
    {
        Names.Add(sequence.Name.Name);
        if (sequence.OwnedBy is { } owner && SqlNames.Words(owner) is { Count: >= 2 } parts)
        {
            Names.Add(parts[^2]);
        }
    }

    /// <summary>A view, and every name in its definition (conservative: a shared word keeps the order).</summary>
    private void AddView(View view)
    {
        Names.Add(view.Name.Name);
        AddWords(view.Definition);
    }

    /// <summary>
    /// A verbatim statement: its own name, and the names its header was read to mention; one that nothing was read from
    /// (a GRANT, any MySQL statement) mentions every name in its text: a column grant names the table of the column.
    /// </summary>
    private void AddVerbatim(VerbatimStatement statement)
    {
        AddName(Names, statement.ObjectName);
        if (statement.References.Count == 0)
        {
            AddWords(statement.Text);
            return;
        }

        foreach (var reference in statement.References)
        {
            var words = SqlNames.Words(reference);
            AddName(Mentions, words.Count == 0 ? null : words[^1]);
        }
    }

    private void AddWords(string? sql)
    {
        if (sql is not null)
        {
            Mentions.UnionWith(SqlNames.Words(sql));
        }
    }

    /// <summary>
    /// An index's or constraint's name: bare where the engine keeps such names unique per schema (one step may free a
    /// name a later copy takes on another table), else qualified by its table, so every MySQL <c>PRIMARY</c> or a
    /// common index name does not relate unrelated tables. <paramref name="perSchema"/> null: the engine is unknown.
    /// </summary>
    private void AddElement(Table table, string? name, bool? perSchema)
    {
        AddName(Names, perSchema == false ? (name is null ? null : table.Name.Name + "." + name) : name);
    }

    private bool? PerSchema(TableElementKind kind) => engine is null ? null : kind switch
    {
        TableElementKind.ForeignKey => engine.ForeignKeyNamesPerSchema,
        TableElementKind.Check => engine.CheckNamesPerSchema,
        _ => engine.IndexNamesPerSchema,
    };

    private static void AddName(HashSet<string> set, string? name)
    {
        if (!string.IsNullOrEmpty(name))
        {
            set.Add(name);
        }
    }

    /// <summary>Types have a name space apart from tables: a column of type <c>text</c> does not relate to a table named text.</summary>
    private static string TypeKey(string type) => "type " + type;
}
