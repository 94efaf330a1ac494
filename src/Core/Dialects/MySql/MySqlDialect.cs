using System;
using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Dialects.MySql;

/// <summary>The MySQL and MariaDB dialect: lexer, parser, normalizer and DDL writer behind <see cref="ISqlDialect"/>.</summary>
public sealed class MySqlDialect : ISqlDialect
{
    private readonly MySqlNormalizer normalizer;
    private readonly MySqlVersionGate gate;

    /// <param name="serverVersion">The target server's version: decides which executable comments are code (null: the dialect's default).</param>
    public MySqlDialect(DialectKind kind, string? serverVersion = null)
    {
        if (kind is not (DialectKind.MySql or DialectKind.MariaDb))
        {
            throw new ArgumentException("MySqlDialect serves MySql and MariaDb, not " + kind, nameof(kind));
        }

        Kind = kind;
        gate = MySqlVersionGate.For(kind, serverVersion);
        normalizer = new MySqlNormalizer(kind);
        Writer = new MySqlDdlWriter(kind);
    }

    public DialectKind Kind { get; }

    public IDdlWriter Writer { get; }

    public LexResult Lex(SourceFile file) => MySqlLexer.Lex(file);

    public ParseResult Parse(IReadOnlyList<SourceFile> files)
    {
        var diagnostics = new List<Diagnostic>();
        var tables = new KeyedList<Table>(t => t.Name.Name);
        var views = new KeyedList<View>(v => v.Name.Name);
        var verbatim = new List<VerbatimStatement>();
        var allowances = new List<Allowance>();
        var createIndexes = new List<(QualifiedName Table, Index Index)>();
        var additions = new List<MySqlTableBuilder>();
        foreach (var file in files)
        {
            try
            {
                var delimiters = MySqlDelimiters.Apply(file);
                var lex = MySqlLexer.Lex(delimiters.File, gate);
                diagnostics.AddRange(lex.Diagnostics);
                var parser = new MySqlParser(lex, diagnostics, delimiters);
                parser.ParseFile();
                AddObjects(parser.Tables, tables, views, diagnostics);
                AddObjects(parser.Views, tables, views, diagnostics);
                verbatim.AddRange(parser.Verbatim);
                allowances.AddRange(parser.Allowances);
                createIndexes.AddRange(parser.CreateIndexes);
                additions.AddRange(parser.TableAdditions);
            }
            catch (Exception error)
            {
                // A bug, not bad input; still a diagnostic rather than a crash.
                diagnostics.Add(Diagnostic.Create(
                    DiagnosticCatalog.SyntaxError,
                    "could not read this file (" + error.GetType().Name + ": " + error.Message + ")",
                    new SourceSpan(file.Path, 1, 1, 0, 0)));
            }
        }

        foreach (var addition in additions)
        {
            FoldAdditions(addition, tables, diagnostics);
        }

        foreach (var (tableName, index) in createIndexes)
        {
            var table = tables.Find(tableName.Name);
            if (table is null)
            {
                diagnostics.Add(Diagnostic.Create(
                    DiagnosticCatalog.UnresolvedReference,
                    $"CREATE INDEX {index.Name} names table '{tableName}', which no schema file creates",
                    index.Span,
                    tableName + "." + index.Name));
                continue;
            }

            if (table.Indexes.Any(i => string.Equals(i.Name, index.Name, StringComparison.OrdinalIgnoreCase)))
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.DuplicateObject, $"index '{index.Name}' is defined twice", index.Span, tableName + "." + index.Name));
                continue;
            }

            tables.Update(tableName.Name, t => t with { Indexes = t.Indexes.Add(index) });
        }

        var schema = new Schema(Kind)
        {
            Tables = tables.Items.ToEquatableList(),
            Views = views.Items.ToEquatableList(),
            Verbatim = verbatim.ToEquatableList(),
            Allowances = allowances.ToEquatableList(),
        };
        return new ParseResult(schema, diagnostics.ToEquatableList());
    }

    public Schema Normalize(Schema schema) => normalizer.Normalize(schema);

    public IReadOnlyList<string> SplitStatements(string sql) => StatementSplitter.Split(MySqlLexer.Lex(new SourceFile("command", sql)), MySqlParser.StatementEnd);

    /// <summary>Keys and constraints of an <c>ALTER TABLE ... ADD</c>, added to the table as if declared in its CREATE TABLE.</summary>
    private static void FoldAdditions(MySqlTableBuilder addition, KeyedList<Table> tables, List<Diagnostic> diagnostics)
    {
        var name = addition.Name;
        var table = tables.Find(name.Name);
        if (table is null)
        {
            diagnostics.Add(Diagnostic.Create(
                DiagnosticCatalog.UnresolvedReference,
                $"ALTER TABLE names table '{name}', which no schema file creates",
                addition.Span,
                name.ToString()));
            return;
        }

        var primaryKey = table.PrimaryKey;
        if (addition.PrimaryKey is { } key)
        {
            if (primaryKey is not null)
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.DuplicateObject, $"primary key of table '{name.Name}' is defined twice", key.Span, name.Name + ".PRIMARY"));
            }
            else
            {
                primaryKey = key;
            }
        }

        var indexes = table.Indexes.ToList();
        foreach (var index in addition.Indexes)
        {
            if (Defined(indexes.Select(i => i.Name), index.Name, "index", name, index.Span, diagnostics))
            {
                indexes.Add(index);
            }
        }

        var foreignKeys = table.ForeignKeys.ToList();
        foreach (var foreignKey in addition.ForeignKeys)
        {
            if (Defined(foreignKeys.Select(f => f.Name), foreignKey.Name, "foreign key", name, foreignKey.Span, diagnostics))
            {
                foreignKeys.Add(foreignKey);
            }
        }

        var checks = table.Checks.ToList();
        foreach (var check in addition.Checks)
        {
            if (Defined(checks.Select(c => c.Name), check.Name, "check constraint", name, check.Span, diagnostics))
            {
                checks.Add(check);
            }
        }

        tables.Update(name.Name, t => t with
        {
            PrimaryKey = primaryKey,
            Indexes = indexes.ToEquatableList(),
            ForeignKeys = foreignKeys.ToEquatableList(),
            Checks = checks.ToEquatableList(),
        });
    }

    /// <summary>False, with SB0003, when a named element is already declared.</summary>
    private static bool Defined(IEnumerable<string> existing, string name, string what, QualifiedName table, SourceSpan span, List<Diagnostic> diagnostics)
    {
        if (name.Length == 0 || !existing.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.DuplicateObject, $"{what} '{name}' is defined twice", span, table.Name + "." + name));
        return false;
    }

    /// <summary>Tables and views share one namespace in a database: a name used twice is SB0003.</summary>
    private static void AddObjects<T>(IEnumerable<T> items, KeyedList<Table> tables, KeyedList<View> views, List<Diagnostic> diagnostics)
    {
        foreach (var item in items)
        {
            var (name, span, what) = item switch
            {
                Table t => (t.Name, t.Span, "table"),
                View v => (v.Name, v.Span, "view"),
                _ => throw new ArgumentException("not a table or view", nameof(items)),
            };
            var existing = tables.Find(name.Name)?.Span ?? views.Find(name.Name)?.Span;
            if (existing is not null)
            {
                diagnostics.Add(Diagnostic.Create(
                    DiagnosticCatalog.DuplicateObject,
                    $"{what} '{name}' is defined twice (first at {existing})",
                    span,
                    name.ToString()));
                continue;
            }

            if (item is Table table)
            {
                tables.AddOrGetExisting(table);
            }
            else if (item is View view)
            {
                views.AddOrGetExisting(view);
            }
        }
    }
}
