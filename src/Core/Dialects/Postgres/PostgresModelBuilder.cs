using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Dialects.Postgres;

/// <summary>
/// Collects the objects of all schema files while they are parsed: finds duplicates (SB0003) the way
/// the server would refuse them (tables, views, sequences and indexes share one namespace per schema),
/// lets pg_dump's trailing ALTER statements amend tables, and applies COMMENT ON at the end.
/// </summary>
internal sealed class PostgresModelBuilder
{
    private readonly List<Namespace> namespaces = new();
    private readonly List<Extension> extensions = new();
    private readonly List<EnumType> enumTypes = new();
    private readonly List<Sequence> sequences = new();
    private readonly List<Table> tables = new();
    private readonly List<View> views = new();
    private readonly List<VerbatimStatement> verbatim = new();
    private readonly List<Allowance> allowances = new();
    private readonly List<PendingComment> comments = new();
    private readonly Dictionary<string, SourceSpan> relations = new();
    private readonly ICollection<Diagnostic> diagnostics;

    public PostgresModelBuilder(ICollection<Diagnostic> diagnostics) => this.diagnostics = diagnostics;

    /// <summary>A COMMENT ON waiting for its object: kind (TABLE, COLUMN, ...), name parts, text (null removes).</summary>
    public sealed record PendingComment(string Kind, IReadOnlyList<string> Target, string? Text, SourceSpan Span);

    public static string Key(QualifiedName name) => (name.Schema ?? "public") + "." + name.Name;

    private bool ClaimRelation(QualifiedName name, SourceSpan span, string what)
    {
        var key = Key(name);
        if (relations.TryGetValue(key, out var first))
        {
            Duplicate($"{what} {key}", span, first);
            return false;
        }

        relations[key] = span;
        return true;
    }

    private void Duplicate(string what, SourceSpan span, SourceSpan first) =>
        diagnostics.Add(Diagnostic.Create(
            DiagnosticCatalog.DuplicateObject,
            $"{what} is already defined" + (first.IsNone ? string.Empty : $" at {first}") + "; remove one of the definitions",
            span,
            what.Substring(what.IndexOf(' ') + 1)));

    public void AddNamespace(Namespace ns) => AddOnce(namespaces, ns, n => n.Name, n => n.Span, "schema ");

    public void AddExtension(Extension extension) => AddOnce(extensions, extension, e => e.Name, e => e.Span, "extension ");

    public void AddEnum(EnumType type) => AddOnce(enumTypes, type, t => Key(t.Name), t => t.Span, "type ");

    private void AddOnce<T>(List<T> items, T item, System.Func<T, string> key, System.Func<T, SourceSpan> span, string what)
    {
        var first = items.FirstOrDefault(x => key(x) == key(item));
        if (first is not null)
        {
            Duplicate(what + key(item), span(item), span(first));
            return;
        }

        items.Add(item);
    }

    public void AddSequence(Sequence sequence)
    {
        if (ClaimRelation(sequence.Name, sequence.Span, "sequence"))
        {
            sequences.Add(sequence);
        }
    }

    public void AddTable(Table table)
    {
        if (ClaimRelation(table.Name, table.Span, "table"))
        {
            tables.Add(table);
        }
    }

    public void AddView(View view)
    {
        if (ClaimRelation(view.Name, view.Span, view.Materialized ? "materialized view" : "view"))
        {
            views.Add(view);
        }
    }

    public void AddVerbatim(VerbatimStatement statement) => verbatim.Add(statement);

    public void AddAllowances(IEnumerable<Allowance> items) => allowances.AddRange(items);

    public void AddComment(PendingComment comment) => comments.Add(comment);

    public Table? FindTable(QualifiedName name) => tables.FirstOrDefault(t => Key(t.Name) == Key(name));

    public View? FindView(QualifiedName name) => views.FirstOrDefault(v => Key(v.Name) == Key(name));

    public Sequence? FindSequence(QualifiedName name) => sequences.FirstOrDefault(s => Key(s.Name) == Key(name));

    public void ReplaceTable(Table before, Table after) => tables[tables.IndexOf(before)] = after;

    public void ReplaceSequence(Sequence before, Sequence after) => sequences[sequences.IndexOf(before)] = after;

    /// <summary>Adds an index to its table; false (and SB0003) when the name is taken.</summary>
    public bool ClaimIndexName(QualifiedName table, string name, SourceSpan span) =>
        ClaimRelation(new QualifiedName(table.Schema, name), span, "index");

    public Schema Build()
    {
        foreach (var comment in comments)
        {
            if (!ApplyComment(comment))
            {
                diagnostics.Add(Diagnostic.Create(
                    DiagnosticCatalog.UnresolvedReference,
                    $"COMMENT ON {comment.Kind} {string.Join(".", comment.Target)}: no such object is defined in the schema files",
                    comment.Span,
                    string.Join(".", comment.Target)));
            }
        }

        return new Schema(DialectKind.Postgres)
        {
            Namespaces = namespaces.ToEquatableList(),
            Extensions = extensions.ToEquatableList(),
            EnumTypes = enumTypes.ToEquatableList(),
            Sequences = sequences.ToEquatableList(),
            Tables = tables.ToEquatableList(),
            Views = views.ToEquatableList(),
            Verbatim = verbatim.ToEquatableList(),
            Allowances = allowances.ToEquatableList(),
        };
    }

    private static QualifiedName NameOf(IReadOnlyList<string> parts) =>
        parts.Count == 1 ? new QualifiedName(null, parts[0]) : new QualifiedName(parts[parts.Count - 2], parts[parts.Count - 1]);

    private bool ApplyComment(PendingComment comment)
    {
        var target = comment.Target;
        switch (comment.Kind)
        {
            case "TABLE":
                return Update(tables, t => Key(t.Name) == Key(NameOf(target)), t => t with { Comment = comment.Text });
            case "VIEW" or "MATERIALIZED VIEW":
                return Update(views, v => Key(v.Name) == Key(NameOf(target)), v => v with { Comment = comment.Text });
            case "SEQUENCE":
                return Update(sequences, s => Key(s.Name) == Key(NameOf(target)), s => s with { Comment = comment.Text });
            case "TYPE":
                return Update(enumTypes, e => Key(e.Name) == Key(NameOf(target)), e => e with { Comment = comment.Text });
            case "SCHEMA":
                return Update(namespaces, n => n.Name == target[target.Count - 1], n => n with { Comment = comment.Text });
            case "COLUMN" when target.Count >= 2:
                var tableName = NameOf(target.Take(target.Count - 1).ToList());
                var column = target[target.Count - 1];
                return Update(
                    tables,
                    t => Key(t.Name) == Key(tableName) && t.Columns.Any(c => c.Name == column),
                    t => t with { Columns = t.Columns.Select(c => c.Name == column ? c with { Comment = comment.Text } : c).ToEquatableList() });
            case "INDEX":
                var index = NameOf(target);
                return Update(
                    tables,
                    t => (t.Name.Schema ?? "public") == (index.Schema ?? "public") && t.Indexes.Any(i => i.Name == index.Name),
                    t => t with { Indexes = t.Indexes.Select(i => i.Name == index.Name ? i with { Comment = comment.Text } : i).ToEquatableList() });
            default:
                return true;
        }
    }

    private static bool Update<T>(List<T> items, System.Func<T, bool> match, System.Func<T, T> change)
    {
        var index = items.FindIndex(x => match(x));
        if (index < 0)
        {
            return false;
        }

        items[index] = change(items[index]);
        return true;
    }
}
