using System;
using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Dialects.Postgres.Expressions;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Dialects.Postgres;

/// <summary>
/// Parses the statements of one file into the model builder. Each statement is parsed on its own:
/// a syntax error becomes SB0001 at the offending token and parsing resumes after the next ';'.
/// Expressions are kept as written (the normalizer brings them to canonical text).
/// </summary>
internal sealed partial class PostgresStatementParser
{
    /// <summary>Statements that change data or objects: not declarative, so not allowed (SB0002).</summary>
    private static readonly HashSet<string> Imperative = new()
    {
        "insert", "update", "delete", "drop", "truncate", "alter", "copy", "merge", "begin", "commit", "rollback", "start",
        "end", "do", "call", "vacuum", "analyze", "analyse", "reindex", "cluster", "refresh", "lock", "select", "with", "values",
        "import", "security", "reassign", "discard", "listen", "notify", "unlisten", "prepare", "execute", "deallocate", "explain",
        "checkpoint", "load", "savepoint", "release", "abort", "move", "fetch", "close", "declare",
    };

    /// <summary>CREATE forms that are valid but not modelled: kept verbatim (SB0007).</summary>
    private static readonly HashSet<string> Unmodelled = new()
    {
        "function", "procedure", "trigger", "constraint", "aggregate", "domain", "rule", "policy", "operator", "cast",
        "event", "collation", "text", "publication", "subscription", "server", "foreign", "language", "conversion",
        "statistics", "transform", "access", "tablespace", "role", "user", "group", "database",
    };

    private readonly TokenCursor cursor;
    private readonly PostgresModelBuilder model;
    private readonly AnnotationBinder annotations;
    private readonly ICollection<Diagnostic> diagnostics;

    // Columns of the same type share one DataType: a large schema repeats a few dozen types over its columns, and the model keeps them all.
    private readonly Interner<DataType> types = new();

    /// <summary>The object the current statement creates, once its name is read: marked broken when the statement fails.</summary>
    private QualifiedName? statementObject;

    public PostgresStatementParser(LexResult lex, PostgresModelBuilder model, AnnotationBinder annotations, ICollection<Diagnostic> diagnostics)
    {
        cursor = new TokenCursor(lex);
        this.model = model;
        this.annotations = annotations;
        this.diagnostics = diagnostics;
    }

    public void Run()
    {
        while (!cursor.AtEnd)
        {
            if (cursor.AcceptPunctuation(';'))
            {
                continue;
            }

            statementObject = null;
            try
            {
                Statement();
                if (!cursor.AtEnd && !cursor.IsPunctuation(';'))
                {
                    throw cursor.Error("';'");
                }

                cursor.AcceptPunctuation(';');
            }
            catch (SyntaxErrorException error)
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.SyntaxError, error.Message, cursor.SpanOf(error.At)));
                if (statementObject is not null)
                {
                    // Later statements about this object (indexes, ALTER, COMMENT) would only repeat the error.
                    model.MarkBroken(statementObject);
                }

                cursor.SkipStatement();
            }
        }
    }

    private string Identifier(string what) => PostgresSyntax.ExpectIdentifier(cursor, what);

    private QualifiedName Name(string what) => PostgresSyntax.QualifiedName(cursor, what);

    private SourceSpan Span(Token token) => cursor.SpanOf(token);

    private void Statement()
    {
        var first = cursor.Current;
        if (first.Kind != TokenKind.Word)
        {
            throw cursor.Error("a statement (CREATE or COMMENT ON)");
        }

        var word = first.Text.ToLowerInvariant();
        switch (word)
        {
            case "create":
                Create();
                return;
            case "comment":
                Comment();
                return;
            case "alter":
                Alter();
                return;
            case "set" or "reset":
                Ignored(first, word.ToUpperInvariant(), "session settings say nothing about the schema");
                return;
            case "select" when cursor.Peek().IsWord("pg_catalog") && cursor.Peek(3).IsWord("set_config"):
                Ignored(first, "SELECT pg_catalog.set_config(...)", "session settings say nothing about the schema");
                return;
            case "drop" when IsDropIfExists():
                // pg_dump --clean: the statement clears the way for the CREATE that follows in the same file.
                Ignored(first, "DROP ... IF EXISTS", "it only clears the way for a clean load; objects missing from the files are dropped by the plan");
                return;
            case "grant" or "revoke":
                Privileges(first);
                return;
        }

        if (Imperative.Contains(word))
        {
            NotAllowed(first, word.ToUpperInvariant());
            return;
        }

        throw cursor.Error("a statement (CREATE or COMMENT ON)");
    }

    /// <summary>DROP kind [kind] IF EXISTS: what pg_dump --clean writes before each CREATE.</summary>
    private bool IsDropIfExists()
    {
        for (var ahead = 1; ahead <= 4 && !cursor.Peek(ahead).IsPunctuation(';'); ahead++)
        {
            if (cursor.Peek(ahead).IsWord("if") && cursor.Peek(ahead + 1).IsWord("exists"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Skips a statement that restates nothing the model keeps, with an info diagnostic saying why.</summary>
    private void Ignored(Token first, string what, string why)
    {
        cursor.SkipBalanced(stopAtComma: false);
        diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.StatementIgnored, $"{what} is ignored: {why}", cursor.SpanOf(first, cursor.Previous)));
    }

    private void NotAllowed(Token first, string what)
    {
        diagnostics.Add(Diagnostic.Create(
            DiagnosticCatalog.StatementNotAllowed,
            $"{what} is not allowed here: declarative schema files may only hold CREATE (and COMMENT ON) statements; "
            + "describe the desired schema and SchemaBuild plans the changes",
            Span(first)));
        cursor.SkipBalanced(stopAtComma: false);
    }

    /// <summary>Kinds read back from the server and compared by their canonical definition (see <see cref="PostgresProgrammableReader"/>).</summary>
    private static readonly HashSet<string> Programmable = new() { "FUNCTION", "PROCEDURE", "TRIGGER", "CONSTRAINT TRIGGER", "DOMAIN", "AGGREGATE", "OPERATOR" };

    /// <summary>
    /// Keeps a statement as written, byte for byte from its first to its last token: that text is
    /// what a plan deploys. Programmable objects also get their canonical definition; the rest are
    /// compared as folded text and not read back (SB0007).
    /// </summary>
    private void Verbatim(Token first, string kind, string? name)
    {
        var startIndex = cursor.Position;
        while (startIndex > 0 && cursor.TokenAt(startIndex).Start > first.Start)
        {
            startIndex--;
        }

        var kindIndex = cursor.Position;
        cursor.SkipBalanced(stopAtComma: false);
        var end = cursor.Position;
        var text = cursor.SourceText(startIndex, end);
        var span = cursor.SpanOf(first, cursor.Previous);
        var statement = new VerbatimStatement(kind, text) { Name = name, Span = span, Definition = VerbatimStatement.Fold(text) };
        string? problem = null;
        if (Programmable.Contains(kind))
        {
            cursor.Position = kindIndex;
            try
            {
                model.AddVerbatim(PostgresProgrammableReader.Read(cursor, end, statement));
                cursor.Position = end;
                return;
            }
            catch (SyntaxErrorException error)
            {
                problem = error.Message;
            }

            cursor.Position = end;
        }

        model.AddVerbatim(statement);
        diagnostics.Add(Diagnostic.Create(
            DiagnosticCatalog.NotModelled,
            problem is null
                ? $"{kind} is kept verbatim and compared as text; SchemaBuild does not model it"
                : $"{kind} is kept verbatim and compared as text, and is not read back from the server: this form is not understood ({problem})",
            span,
            name));
    }

    private void Create()
    {
        var create = cursor.ExpectWord("create");
        var orReplace = cursor.AcceptWords("or", "replace");
        var word = cursor.Current.Text.ToLowerInvariant();
        if (word is "trusted" or "procedural" or "language" && cursor.Current.Kind == TokenKind.Word)
        {
            CreateLanguage(create);
            return;
        }

        if (cursor.Current.Kind == TokenKind.Word && Unmodelled.Contains(word))
        {
            var kindIndex = cursor.Position;
            var kind = cursor.Advance().Text.ToUpperInvariant();
            if (kind is "CONSTRAINT" or "EVENT" && cursor.IsWord("trigger"))
            {
                kind += " " + cursor.Advance().Text.ToUpperInvariant();
            }

            string? name = null;
            if (cursor.Current.IsIdentifierLike)
            {
                var position = cursor.Position;
                try
                {
                    name = Name("a name").ToString();
                }
                catch (SyntaxErrorException)
                {
                }

                cursor.Position = position;
            }

            cursor.Position = kindIndex;
            Verbatim(create, kind, name);
            return;
        }

        switch (word)
        {
            case "schema":
                CreateSchema(create);
                return;
            case "extension":
                CreateExtension(create);
                return;
            case "type":
                CreateType(create);
                return;
            case "sequence":
                CreateSequence(create);
                return;
            case "unique" or "index":
                CreateIndex(create);
                return;
            case "materialized" or "view" or "recursive":
                CreateView(create, orReplace);
                return;
            case "temp" or "temporary":
                throw cursor.Error("a permanent object (temporary tables do not belong in a schema)");
        }

        if (orReplace)
        {
            throw cursor.Error("VIEW, FUNCTION, PROCEDURE or TRIGGER after CREATE OR REPLACE");
        }

        var unlogged = cursor.AcceptWord("unlogged");
        if (cursor.IsWord("table"))
        {
            CreateTable(create, unlogged);
            return;
        }

        throw cursor.Error("SCHEMA, EXTENSION, TYPE, SEQUENCE, TABLE, INDEX or VIEW after CREATE");
    }

    private bool IfNotExists() => cursor.AcceptWords("if", "not", "exists");

    private void CreateSchema(Token create)
    {
        cursor.ExpectWord("schema");
        IfNotExists();
        var nameToken = cursor.Current;
        var name = cursor.IsWord("authorization") ? null : Identifier("a schema name");
        if (cursor.AcceptWord("authorization"))
        {
            var owner = Identifier("a role name");
            name ??= owner;
        }

        model.AddNamespace(new Namespace(name!) { Span = Span(nameToken), Annotations = annotations.Take(create.Line) });
    }

    private void CreateExtension(Token create)
    {
        cursor.ExpectWord("extension");
        IfNotExists();
        var nameToken = cursor.Current;
        var extension = new Extension(Identifier("an extension name")) { Span = Span(nameToken) };
        cursor.AcceptWord("with");
        while (true)
        {
            if (cursor.AcceptWord("schema"))
            {
                extension = extension with { Schema = Identifier("a schema name") };
            }
            else if (cursor.AcceptWord("version"))
            {
                extension = extension with { Version = cursor.Current.Kind == TokenKind.String ? cursor.Advance().Value : Identifier("a version") };
            }
            else if (!cursor.AcceptWord("cascade"))
            {
                break;
            }
        }

        model.AddExtension(extension);
    }

    private void CreateType(Token create)
    {
        cursor.ExpectWord("type");
        var nameToken = cursor.Current;
        var name = Name("a type name");
        statementObject = name;
        if (!cursor.IsWords("as", "enum"))
        {
            Verbatim(create, "TYPE", name.ToString());
            return;
        }

        cursor.ExpectWords("as", "enum");
        cursor.ExpectPunctuation('(');
        var labels = new List<string>();
        if (!cursor.IsPunctuation(')'))
        {
            do
            {
                labels.Add(cursor.ExpectKind(TokenKind.String, "an enum label (a string)").Value);
            }
            while (cursor.AcceptPunctuation(','));
        }

        cursor.ExpectPunctuation(')');
        model.AddEnum(new EnumType(name, labels.ToEquatableList()) { Span = Span(nameToken), Annotations = annotations.Take(create.Line) });
    }

    private void CreateSequence(Token create)
    {
        cursor.ExpectWord("sequence");
        IfNotExists();
        var nameToken = cursor.Current;
        var name = Name("a sequence name");
        statementObject = name;
        var options = SequenceOptions(new SequenceOptions(), out var ownedBy, out _);
        model.AddSequence(new Sequence(name) { Options = options, OwnedBy = ownedBy, Span = Span(nameToken), Annotations = annotations.Take(create.Line) });
    }

    /// <summary>Sequence options in any order, as CREATE SEQUENCE and identity columns take them.</summary>
    private SequenceOptions SequenceOptions(SequenceOptions options, out string? ownedBy, out QualifiedName? sequenceName)
    {
        ownedBy = null;
        sequenceName = null;
        while (true)
        {
            if (cursor.AcceptWord("as"))
            {
                options = options with { DataType = PostgresSyntax.DataType(cursor).Name };
            }
            else if (cursor.AcceptWord("increment"))
            {
                cursor.AcceptWord("by");
                options = options with { Increment = PostgresSyntax.ExpectLong(cursor) };
            }
            else if (cursor.AcceptWord("minvalue"))
            {
                options = options with { MinValue = PostgresSyntax.ExpectLong(cursor) };
            }
            else if (cursor.AcceptWord("maxvalue"))
            {
                options = options with { MaxValue = PostgresSyntax.ExpectLong(cursor) };
            }
            else if (cursor.AcceptWords("no", "minvalue"))
            {
                options = options with { MinValue = null };
            }
            else if (cursor.AcceptWords("no", "maxvalue"))
            {
                options = options with { MaxValue = null };
            }
            else if (cursor.AcceptWords("no", "cycle"))
            {
                options = options with { Cycle = false };
            }
            else if (cursor.AcceptWord("cycle"))
            {
                options = options with { Cycle = true };
            }
            else if (cursor.AcceptWord("start"))
            {
                cursor.AcceptWord("with");
                options = options with { Start = PostgresSyntax.ExpectLong(cursor) };
            }
            else if (cursor.AcceptWord("restart"))
            {
                cursor.AcceptWord("with");
                if (cursor.Current.Kind == TokenKind.Number || cursor.Current.Kind == TokenKind.Operator)
                {
                    PostgresSyntax.ExpectLong(cursor);
                }
            }
            else if (cursor.AcceptWord("cache"))
            {
                options = options with { Cache = PostgresSyntax.ExpectLong(cursor) };
            }
            else if (cursor.AcceptWords("owned", "by"))
            {
                var parts = new List<string> { Identifier("a table.column or NONE") };
                while (cursor.AcceptPunctuation('.'))
                {
                    parts.Add(Identifier("a column name"));
                }

                ownedBy = parts.Count == 1 && parts[0] == "none" ? null : string.Join(".", parts);
            }
            else if (cursor.AcceptWords("sequence", "name"))
            {
                sequenceName = Name("a sequence name");
            }
            else
            {
                return options;
            }
        }
    }

    private void CreateIndex(Token create)
    {
        var unique = cursor.AcceptWord("unique");
        cursor.ExpectWord("index");
        cursor.AcceptWord("concurrently");
        IfNotExists();
        var nameToken = cursor.Current;
        var name = cursor.IsWord("on") ? string.Empty : Identifier("an index name");
        cursor.ExpectWord("on");
        cursor.AcceptWord("only");
        var tableToken = cursor.Current;
        var tableName = Name("a table name");
        var index = new Index(name, unique ? IndexKind.Unique : IndexKind.Regular, EquatableList<IndexKeyPart>.Empty) { Span = Span(nameToken) };
        if (cursor.AcceptWord("using"))
        {
            index = index with { Method = Identifier("an index method") };
        }

        cursor.ExpectPunctuation('(');
        var parts = new List<IndexKeyPart>();
        do
        {
            parts.Add(IndexElement());
        }
        while (cursor.AcceptPunctuation(','));
        cursor.ExpectPunctuation(')');
        index = index with { Parts = parts.ToEquatableList() };
        if (cursor.AcceptWord("include"))
        {
            index = index with { Include = ColumnList() };
        }

        if (cursor.AcceptWords("nulls", "not", "distinct"))
        {
            index = index with { NullsNotDistinct = true };
        }
        else
        {
            cursor.AcceptWords("nulls", "distinct");
        }

        if (cursor.AcceptWord("with"))
        {
            index = index with { Options = StorageOptions() };
        }

        if (cursor.AcceptWord("tablespace"))
        {
            Identifier("a tablespace name");
        }

        if (cursor.AcceptWord("where"))
        {
            var predicate = ExpressionText();
            index = index with { Predicate = predicate, WrittenPredicate = new WrittenSql(predicate) };
        }

        var table = model.FindTable(tableName);
        if (table is null && model.FindView(tableName) is { Materialized: true } view)
        {
            if (name.Length == 0 || model.ClaimIndexName(tableName, name, index.Span))
            {
                model.ReplaceView(view, view with { Indexes = view.Indexes.Add(index) });
            }

            return;
        }

        if (table is null && model.IsBroken(tableName))
        {
            return;
        }

        if (table is null)
        {
            model.DeferIndex(tableName, index, cursor.SpanOf(tableToken));
            return;
        }

        if (name.Length == 0 || model.ClaimIndexName(tableName, name, index.Span))
        {
            model.ReplaceTable(table, table with { Indexes = table.Indexes.Add(index) });
        }
    }

    /// <summary>One index key: a column, a function call or a parenthesized expression, then COLLATE, opclass, order.</summary>
    private IndexKeyPart IndexElement()
    {
        SqlNode node;
        int start;
        string written;
        if (cursor.IsPunctuation('('))
        {
            cursor.Advance();
            start = cursor.Position;
            node = new PostgresExpressionParser(cursor).Expression();
            written = cursor.SourceText(start, cursor.Position);
            cursor.ExpectPunctuation(')');
        }
        else
        {
            start = cursor.Position;
            node = new PostgresExpressionParser(cursor).Expression();
            written = cursor.SourceText(start, cursor.Position);
        }

        string? collation = null;
        if (node is CollateNode collate)
        {
            collation = collate.Collation;
            node = collate.Operand;
            written = PostgresExpressionPrinter.Print(node);
        }

        var part = node is ColumnRefNode { Parts.Count: 1 } column
            ? IndexKeyPart.ForColumn(column.Column)
            : IndexKeyPart.ForExpression(PostgresExpressionPrinter.Print(node)) with { Written = new WrittenSql(written) };
        if (cursor.AcceptWord("collate"))
        {
            collation = Name("a collation name").Name;
        }

        part = part with { Collation = collation };
        if (cursor.Current.IsIdentifierLike && !cursor.IsWord("asc") && !cursor.IsWord("desc") && !cursor.IsWord("nulls"))
        {
            part = part with { OperatorClass = Name("an operator class").Name };
            if (cursor.IsPunctuation('('))
            {
                cursor.Advance();
                cursor.SkipBalanced(stopAtComma: false);
                cursor.ExpectPunctuation(')');
            }
        }

        if (cursor.AcceptWord("desc"))
        {
            part = part with { Order = SortOrder.Descending };
        }
        else
        {
            cursor.AcceptWord("asc");
        }

        if (cursor.AcceptWord("nulls"))
        {
            part = part with
            {
                Nulls = cursor.AcceptWord("first") ? NullsOrder.First : cursor.AcceptWord("last") ? NullsOrder.Last : throw cursor.Error("FIRST or LAST"),
            };
        }

        return part;
    }

    /// <summary>
    /// CREATE [OR REPLACE] [TRUSTED] [PROCEDURAL] LANGUAGE: since PostgreSQL 9.1 a language is an extension,
    /// so it is modelled as one; plpgsql is in every database and restates nothing.
    /// </summary>
    private void CreateLanguage(Token create)
    {
        cursor.AcceptWord("trusted");
        cursor.AcceptWord("procedural");
        cursor.ExpectWord("language");
        var nameToken = cursor.Current;
        var name = Identifier("a language name");
        if (name == "plpgsql")
        {
            Ignored(create, "CREATE LANGUAGE plpgsql", "the language is installed in every database");
            return;
        }

        cursor.SkipBalanced(stopAtComma: false);
        model.AddExtension(new Extension(name) { Span = Span(nameToken) });
    }

    private void CreateView(Token create, bool orReplace)
    {
        var materialized = cursor.AcceptWord("materialized");
        cursor.AcceptWord("recursive");
        cursor.ExpectWord("view");
        IfNotExists();
        var nameToken = cursor.Current;
        var view = new View(Name("a view name"), string.Empty) { Materialized = materialized, Span = Span(nameToken) };
        statementObject = view.Name;
        if (cursor.IsPunctuation('('))
        {
            var columnsStart = cursor.Position;
            cursor.Advance();
            view = view with { ColumnNames = ColumnListBody() };
            view = view with { WrittenColumns = new WrittenSql(cursor.SourceText(columnsStart, cursor.Position)) };
        }

        if (cursor.AcceptWord("using"))
        {
            Identifier("a table access method");
        }

        if (cursor.AcceptWord("with"))
        {
            view = view with { Options = StorageOptions() };
        }

        if (cursor.AcceptWord("tablespace"))
        {
            Identifier("a tablespace name");
        }

        cursor.ExpectWord("as");
        var start = cursor.Position;
        new PostgresExpressionParser(cursor).Query();
        var query = cursor.SourceText(start, cursor.Position);
        view = view with { Definition = query, Written = new WrittenSql(query) };
        var withToken = cursor.Position;
        if (cursor.AcceptWord("with"))
        {
            if (cursor.AcceptWord("data") || cursor.AcceptWords("no", "data"))
            {
                if (!materialized)
                {
                    throw cursor.ErrorAt(cursor.Previous, "WITH [NO] DATA belongs to materialized views only");
                }

                view = view with { WrittenData = new WrittenSql(cursor.SourceText(withToken, cursor.Position)) };
            }
            else
            {
                var option = cursor.AcceptWord("local") ? "LOCAL" : "CASCADED";
                cursor.AcceptWord("cascaded");
                cursor.ExpectWords("check", "option");
                view = view with { CheckOption = option };
            }
        }

        view = view with { Annotations = annotations.Take(create.Line) };
        if (orReplace && model.FindView(view.Name) is { } placeholder && placeholder.Materialized == view.Materialized)
        {
            // pg_dump writes a placeholder view (SELECT NULL::type AS column, ...) and replaces it once what it reads exists.
            model.ReplaceView(placeholder, view);
            return;
        }

        model.AddView(view);
    }

    /// <summary><c>(name [= value], ...)</c> storage parameters; the value is kept as written (quotes removed).</summary>
    private EquatableList<ObjectOption> StorageOptions()
    {
        cursor.ExpectPunctuation('(');
        var options = new List<ObjectOption>();
        do
        {
            var name = Identifier("a parameter name");
            while (cursor.AcceptPunctuation('.'))
            {
                name += "." + Identifier("a parameter name");
            }

            var value = string.Empty;
            if (cursor.AcceptOperator("="))
            {
                var token = cursor.Advance();
                if (token.Kind is TokenKind.Operator && token.Text == "-" && cursor.Current.Kind == TokenKind.Number)
                {
                    value = "-" + cursor.Advance().Text;
                }
                else if (token.Kind is TokenKind.String or TokenKind.Number or TokenKind.Word or TokenKind.QuotedIdentifier)
                {
                    value = token.Kind == TokenKind.Word ? token.Text.ToLowerInvariant() : token.Kind == TokenKind.Number ? token.Text : token.Value;
                }
                else
                {
                    throw cursor.ErrorAt(token, "expected a parameter value, found " + token.Describe());
                }
            }

            options.Add(new ObjectOption(name, value));
        }
        while (cursor.AcceptPunctuation(','));
        cursor.ExpectPunctuation(')');
        return options.ToEquatableList();
    }

    private EquatableList<string> ColumnList()
    {
        cursor.ExpectPunctuation('(');
        return ColumnListBody();
    }

    private EquatableList<string> ColumnListBody()
    {
        var names = new List<string>();
        do
        {
            names.Add(Identifier("a column name"));
        }
        while (cursor.AcceptPunctuation(','));
        cursor.ExpectPunctuation(')');
        return names.ToEquatableList();
    }

    /// <summary>Parses one expression (validating it) and returns its source text.</summary>
    private string ExpressionText()
    {
        var start = cursor.Position;
        new PostgresExpressionParser(cursor).Expression();
        return cursor.SourceText(start, cursor.Position);
    }

    /// <summary>A column default: the expression's text, kept as written for deploying.</summary>
    private ColumnDefault WrittenDefault()
    {
        var text = ExpressionText();
        return ColumnDefault.Expression(text) with { Written = new WrittenSql(text) };
    }

    /// <summary>An expression in parentheses, returned without them.</summary>
    private string ParenthesizedExpressionText()
    {
        cursor.ExpectPunctuation('(');
        var text = ExpressionText();
        cursor.ExpectPunctuation(')');
        return text;
    }

    private void Comment()
    {
        var first = cursor.ExpectWord("comment");
        cursor.ExpectWord("on");
        var kindToken = cursor.Current;
        string kind;
        if (cursor.AcceptWords("materialized", "view"))
        {
            kind = "MATERIALIZED VIEW";
        }
        else
        {
            kind = cursor.ExpectIdentifier("an object kind (TABLE, COLUMN, VIEW, INDEX, SCHEMA, TYPE, SEQUENCE)").Text.ToUpperInvariant();
        }

        var target = new List<string>();
        if (kind is "FUNCTION" or "PROCEDURE" or "AGGREGATE" or "TRIGGER" or "CONSTRAINT" or "POLICY" or "RULE" or "OPERATOR" or "CAST" or "DOMAIN")
        {
            // Comments on objects that are not modelled are accepted and not kept.
            while (!cursor.IsWord("is") && !cursor.AtEnd && !cursor.IsPunctuation(';'))
            {
                if (cursor.IsPunctuation('('))
                {
                    cursor.Advance();
                    cursor.SkipBalanced(stopAtComma: false);
                }

                cursor.Advance();
            }
        }
        else
        {
            target.Add(Identifier("an object name"));
            while (cursor.AcceptPunctuation('.'))
            {
                target.Add(Identifier("a name"));
            }
        }

        cursor.ExpectWord("is");
        string? text = null;
        if (!cursor.AcceptWord("null"))
        {
            text = cursor.ExpectKind(TokenKind.String, "a string or NULL").Value;
        }

        if (kind == "SCHEMA" && target.Count == 1 && target[0] == "public")
        {
            // The public schema exists in every database and is not modelled; pg_dump restates its comment.
            if (text is not null && text != "standard public schema")
            {
                diagnostics.Add(Diagnostic.Create(
                    DiagnosticCatalog.StatementIgnored,
                    "COMMENT ON SCHEMA public is ignored: the public schema is not modelled, so its comment is not deployed",
                    cursor.SpanOf(first, cursor.Previous)));
            }

            return;
        }

        if (target.Count > 0 && kind != "EXTENSION")
        {
            model.AddComment(new PostgresModelBuilder.PendingComment(kind, target, text, cursor.SpanOf(first, cursor.Previous)));
        }
    }
}
