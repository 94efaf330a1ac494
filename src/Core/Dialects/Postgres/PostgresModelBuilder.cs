using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Dialects.Postgres;

/// <summary>
/// Collects the objects of all schema files while they are parsed: finds duplicates (SB0003) the way
/// the server would refuse them (tables, views, sequences and indexes share one namespace per schema),
/// lets pg_dump's trailing ALTER statements amend tables, and applies COMMENT ON at the end.
/// </summary>
internal sealed class PostgresModelBuilder
{
    private readonly KeyedList<Namespace> namespaces = new(n => n.Name);
    private readonly KeyedList<Extension> extensions = new(e => e.Name);
    private readonly KeyedList<EnumType> enumTypes = new(t => Key(t.Name));
    private readonly KeyedList<Sequence> sequences = new(s => Key(s.Name));
    private readonly KeyedList<Table> tables = new(t => Key(t.Name));
    private readonly KeyedList<View> views = new(v => Key(v.Name));
    private readonly List<VerbatimStatement> verbatim = new();
    private readonly List<PrivilegeStatement> privileges = new();
    private readonly List<Allowance> allowances = new();
    private readonly List<PendingComment> comments = new();
    private readonly Dictionary<string, SourceSpan> relations = new();
    private readonly ICollection<Diagnostic> diagnostics;

    private readonly List<(QualifiedName Table, Index Index, SourceSpan TableSpan)> deferredIndexes = new();

    public PostgresModelBuilder(ICollection<Diagnostic> diagnostics) => this.diagnostics = diagnostics;

    /// <summary>A COMMENT ON waiting for its object: kind (TABLE, COLUMN, ...), name parts, text (null removes).</summary>
    private readonly HashSet<string> broken = new(System.StringComparer.Ordinal);

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

    public void AddNamespace(Namespace ns) => AddOnce(namespaces, ns, ns.Name, n => n.Span, "schema ");

    public void AddExtension(Extension extension) => AddOnce(extensions, extension, extension.Name, e => e.Span, "extension ");

    public void AddEnum(EnumType type) => AddOnce(enumTypes, type, Key(type.Name), t => t.Span, "type ");

    private void AddOnce<T>(KeyedList<T> items, T item, string key, System.Func<T, SourceSpan> span, string what)
        where T : class
    {
        if (items.AddOrGetExisting(item) is { } first)
        {
            Duplicate(what + key, span(item), span(first));
        }
    }

    public void AddSequence(Sequence sequence)
    {
        if (ClaimRelation(sequence.Name, sequence.Span, "sequence"))
        {
            sequences.AddOrGetExisting(sequence);
        }
    }

    public void AddTable(Table table)
    {
        if (ClaimRelation(table.Name, table.Span, "table"))
        {
            tables.AddOrGetExisting(table);
        }
    }

    public void AddView(View view)
    {
        if (ClaimRelation(view.Name, view.Span, view.Materialized ? "materialized view" : "view"))
        {
            views.AddOrGetExisting(view);
        }
    }

    public void AddVerbatim(VerbatimStatement statement) => verbatim.Add(statement);

    public void AddPrivileges(PrivilegeStatement statement) => privileges.Add(statement);

    public void AddAllowances(IEnumerable<Allowance> items) => allowances.AddRange(items);

    public void AddComment(PendingComment comment) => comments.Add(comment);

    public Table? FindTable(QualifiedName name) => tables.Find(Key(name));

    public View? FindView(QualifiedName name) => views.Find(Key(name));

    public Sequence? FindSequence(QualifiedName name) => sequences.Find(Key(name));

    public void ReplaceTable(Table before, Table after) => tables.Update(Key(before.Name), _ => after);

    /// <summary>Marks an object whose CREATE statement had a syntax error: statements about it report nothing more.</summary>
    public void MarkBroken(QualifiedName name) => broken.Add(Key(name));

    public bool IsBroken(QualifiedName name) => broken.Contains(Key(name));

    public void ReplaceView(View before, View after) => views.Update(Key(before.Name), _ => after);

    public void ReplaceSequence(Sequence before, Sequence after) => sequences.Update(Key(before.Name), _ => after);

    /// <summary>Adds an index to its table; false (and SB0003) when the name is taken.</summary>
    public bool ClaimIndexName(QualifiedName table, string name, SourceSpan span) =>
        ClaimRelation(new QualifiedName(table.Schema, name), span, "index");

    /// <summary>
    /// A CREATE INDEX whose table is not defined yet: kept until every file is read, as a later file may create the table
    /// (file order must not matter).
    /// </summary>
    public void DeferIndex(QualifiedName table, Index index, SourceSpan tableSpan) => deferredIndexes.Add((table, index, tableSpan));

    private void ApplyDeferredIndexes()
    {
        foreach (var (name, index, tableSpan) in deferredIndexes)
        {
            if (FindTable(name) is not { } table)
            {
                if (!IsBroken(name))
                {
                    diagnostics.Add(Diagnostic.Create(
                        DiagnosticCatalog.SyntaxError,
                        $"table {name} is not defined; CREATE INDEX names a table that no schema file creates",
                        tableSpan));
                }

                continue;
            }

            if (index.Name.Length == 0 || ClaimIndexName(name, index.Name, index.Span))
            {
                ReplaceTable(table, table with { Indexes = table.Indexes.Add(index) });
            }
        }
    }

    public Schema Build()
    {
        ApplyDeferredIndexes();
        foreach (var comment in comments)
        {
            if (!ApplyComment(comment) && !IsBrokenTarget(comment))
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
            Namespaces = namespaces.Items.ToEquatableList(),
            Extensions = extensions.Items.ToEquatableList(),
            EnumTypes = enumTypes.Items.ToEquatableList(),
            Sequences = sequences.Items.ToEquatableList(),
            Tables = tables.Items.ToEquatableList(),
            Views = views.Items.ToEquatableList(),
            Verbatim = verbatim.ToEquatableList(),
            Privileges = FoldPrivileges(),
            Allowances = allowances.ToEquatableList(),
        };
    }

    /// <summary>
    /// Applies the GRANT and REVOKE statements in file order to each object's default access list, as the server would, and
    /// keeps the lists that end up different from the default.
    /// </summary>
    private EquatableList<ObjectPrivileges> FoldPrivileges()
    {
        var lists = new Dictionary<string, (ObjectPrivileges Object, Dictionary<string, (HashSet<string> Held, HashSet<string> Grantable)> Grants)>(System.StringComparer.Ordinal);
        foreach (var statement in privileges)
        {
            foreach (var (name, span) in statement.Objects)
            {
                var kind = statement.Kind;
                var qualified = kind == "SCHEMA" ? name : new QualifiedName(name.Schema ?? "public", name.Name);
                if (kind == "TABLE" && sequences.Find(Key(qualified)) is not null)
                {
                    kind = "SEQUENCE";
                }

                if (!PrivilegeTargetExists(kind, qualified))
                {
                    if (!IsBroken(qualified))
                    {
                        diagnostics.Add(Diagnostic.Create(
                            DiagnosticCatalog.UnresolvedReference,
                            $"{(statement.Grant ? "GRANT" : "REVOKE")} ON {kind} {qualified}: no such object is defined in the schema files; define it or remove the statement",
                            span,
                            qualified.ToString()));
                    }

                    continue;
                }

                var key = kind + " " + qualified;
                if (!lists.TryGetValue(key, out var list))
                {
                    list = (new ObjectPrivileges(kind, qualified) { Span = statement.Span }, new Dictionary<string, (HashSet<string>, HashSet<string>)>(System.StringComparer.Ordinal));
                    foreach (var grant in PostgresPrivileges.Defaults(kind, qualified))
                    {
                        list.Grants[grant.Grantee] = (new HashSet<string>(grant.Privileges), new HashSet<string>(grant.Grantable));
                    }

                    lists.Add(key, list);
                }

                var named = statement.Privileges?.Where(p => PostgresPrivileges.IsPrivilege(kind, p)) ?? PostgresPrivileges.All(kind);
                foreach (var grantee in statement.Grantees)
                {
                    if (!list.Grants.TryGetValue(grantee, out var held))
                    {
                        held = (new HashSet<string>(System.StringComparer.Ordinal), new HashSet<string>(System.StringComparer.Ordinal));
                        list.Grants.Add(grantee, held);
                    }

                    foreach (var privilege in named)
                    {
                        if (statement.Grant)
                        {
                            held.Held.Add(privilege);
                            if (statement.WithGrantOption)
                            {
                                held.Grantable.Add(privilege);
                            }
                        }
                        else
                        {
                            held.Grantable.Remove(privilege);
                            if (!statement.GrantOptionOnly)
                            {
                                held.Held.Remove(privilege);
                            }
                        }
                    }
                }
            }
        }

        var result = new List<ObjectPrivileges>();
        foreach (var (objectPrivileges, grants) in lists.Values)
        {
            var kind = objectPrivileges.ObjectKind;
            var folded = grants.Where(g => g.Value.Held.Count > 0)
                .OrderBy(g => g.Key, System.StringComparer.Ordinal)
                .Select(g => new PrivilegeGrant(g.Key) { Privileges = PostgresPrivileges.Ordered(kind, g.Value.Held), Grantable = PostgresPrivileges.Ordered(kind, g.Value.Grantable) })
                .ToEquatableList();
            if (!folded.Equals(PostgresPrivileges.Defaults(kind, objectPrivileges.Object)))
            {
                result.Add(objectPrivileges with { Grants = folded });
            }
        }

        return result.OrderBy(p => p.Key, System.StringComparer.Ordinal).ToEquatableList();
    }

    private bool PrivilegeTargetExists(string kind, QualifiedName name) => kind switch
    {
        "SCHEMA" => name.Name == "public" || namespaces.Find(name.Name) is not null,
        "SEQUENCE" => sequences.Find(Key(name)) is not null,
        _ => tables.Find(Key(name)) is not null || views.Find(Key(name)) is not null,
    };

    private bool IsBrokenTarget(PendingComment comment) =>
        comment.Target.Count > 0 && (IsBroken(NameOf(comment.Target))
            || (comment.Kind == "COLUMN" && comment.Target.Count >= 2 && IsBroken(NameOf(comment.Target.Take(comment.Target.Count - 1).ToList()))));

    private static QualifiedName NameOf(IReadOnlyList<string> parts) =>
        parts.Count == 1 ? new QualifiedName(null, parts[0]) : new QualifiedName(parts[parts.Count - 2], parts[parts.Count - 1]);

    private Dictionary<string, string>? indexOwners;

    /// <summary>
    /// The key of the table that has this index, from a map built once when the comments are applied (after every
    /// CREATE INDEX): a scan of all tables per COMMENT ON INDEX is quadratic on large schemas.
    /// </summary>
    private string? IndexOwner(QualifiedName index)
    {
        if (indexOwners is null)
        {
            indexOwners = new Dictionary<string, string>(System.StringComparer.Ordinal);
            foreach (var table in tables.Items)
            {
                foreach (var owned in table.Indexes.Where(i => i.Name.Length > 0))
                {
                    var key = Key(new QualifiedName(table.Name.Schema, owned.Name));
                    if (!indexOwners.ContainsKey(key))
                    {
                        indexOwners.Add(key, Key(table.Name));
                    }
                }
            }
        }

        return indexOwners.TryGetValue(Key(index), out var owner) ? owner : null;
    }

    private bool ApplyComment(PendingComment comment)
    {
        var target = comment.Target;
        switch (comment.Kind)
        {
            case "TABLE":
                return tables.Update(Key(NameOf(target)), t => t with { Comment = comment.Text });
            case "VIEW" or "MATERIALIZED VIEW":
                return views.Update(Key(NameOf(target)), v => v with { Comment = comment.Text });
            case "SEQUENCE":
                return sequences.Update(Key(NameOf(target)), s => s with { Comment = comment.Text });
            case "TYPE":
                return enumTypes.Update(Key(NameOf(target)), e => e with { Comment = comment.Text });
            case "SCHEMA":
                return namespaces.Update(target[target.Count - 1], n => n with { Comment = comment.Text });
            case "COLUMN" when target.Count >= 2:
                var tableName = NameOf(target.Take(target.Count - 1).ToList());
                var column = target[target.Count - 1];
                return tables.Find(Key(tableName)) is { } owner && owner.Columns.Any(c => c.Name == column) && tables.Update(
                    Key(tableName),
                    t => t with { Columns = t.Columns.Select(c => c.Name == column ? c with { Comment = comment.Text } : c).ToEquatableList() });
            case "INDEX":
                var index = NameOf(target);
                return (IndexOwner(index) is { } owningTable && tables.Update(
                    owningTable,
                    t => t with { Indexes = t.Indexes.Select(i => i.Name == index.Name ? i with { Comment = comment.Text } : i).ToEquatableList() }))
                    || views.UpdateFirst(
                    v => (v.Name.Schema ?? "public") == (index.Schema ?? "public") && v.Indexes.Any(i => i.Name == index.Name),
                    v => v with { Indexes = v.Indexes.Select(i => i.Name == index.Name ? i with { Comment = comment.Text } : i).ToEquatableList() })
                    || tables.UpdateFirst(
                    t => (t.Name.Schema ?? "public") == (index.Schema ?? "public") && t.Indexes.Any(i => i.Name == index.Name),
                    t => t with { Indexes = t.Indexes.Select(i => i.Name == index.Name ? i with { Comment = comment.Text } : i).ToEquatableList() })
                    || views.UpdateFirst(
                        v => (v.Name.Schema ?? "public") == (index.Schema ?? "public") && v.Indexes.Any(i => i.Name == index.Name),
                        v => v with { Indexes = v.Indexes.Select(i => i.Name == index.Name ? i with { Comment = comment.Text } : i).ToEquatableList() });
            default:
                return true;
        }
    }

}
