using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Dialects.MySql;

/// <summary>
/// Reads one MySQL/MariaDB schema file into model elements as written (not normalized): CREATE
/// TABLE, INDEX and VIEW are modelled; routines, triggers, events and grants are kept verbatim
/// (SB0007). What mysqldump writes around them is accepted: <c>ALTER TABLE ... ADD</c> of keys and
/// constraints is folded into the table; <c>DROP TABLE/VIEW IF EXISTS</c>, <c>SET</c>, <c>USE</c> and
/// <c>LOCK/UNLOCK TABLES</c> only prepare a clean load and are ignored (SB0010, info), and so is
/// CREATE DATABASE (the database is the deployment target, named by the connection); anything
/// else is SB0002. Each statement is parsed on its own, so an error costs one statement, never the file.
/// </summary>
internal sealed partial class MySqlParser
{
    private static readonly HashSet<string> NotAllowed = new(StringComparer.OrdinalIgnoreCase)
    {
        "INSERT", "UPDATE", "DELETE", "REPLACE", "ALTER", "DROP", "RENAME", "TRUNCATE", "CALL", "LOAD",
        "LOCK", "UNLOCK", "SELECT", "HANDLER", "DO", "START", "COMMIT", "ROLLBACK", "BEGIN", "SAVEPOINT",
        "RELEASE", "FLUSH", "ANALYZE", "OPTIMIZE", "REPAIR", "CHECK", "KILL", "SHOW", "DESCRIBE", "DESC",
        "EXPLAIN", "PREPARE", "EXECUTE", "DEALLOCATE", "INSTALL", "UNINSTALL", "WITH", "XA", "BINLOG",
        "CHECKSUM", "PURGE", "RESET", "CHANGE", "SHUTDOWN", "VALUES", "TABLE",
    };

    /// <summary>Words that start a statement at the beginning of a line: where recovery resumes when a ';' is missing.</summary>
    private static readonly HashSet<string> StatementStarts = new(StringComparer.OrdinalIgnoreCase)
    {
        "CREATE", "ALTER", "DROP", "INSERT", "SET", "USE", "LOCK", "UNLOCK", "GRANT", "DELIMITER",
    };

    private readonly TokenCursor cursor;
    private readonly AnnotationBinder binder;
    private readonly ICollection<Diagnostic> diagnostics;
    private readonly MySqlDelimiters? delimiters;

    // Columns of the same type share one DataType: a large schema repeats a few dozen types over its columns, and the model keeps them all.
    private readonly Interner<DataType> types = new();

    /// <param name="delimiters">Where the file's DELIMITER blocks put statement ends, when it has any.</param>
    public MySqlParser(LexResult lex, ICollection<Diagnostic> diagnostics, MySqlDelimiters? delimiters = null)
    {
        cursor = new TokenCursor(lex);
        this.diagnostics = diagnostics;
        this.delimiters = delimiters;
        binder = new AnnotationBinder(AnnotationReader.Read(lex, diagnostics));
    }

    public List<Table> Tables { get; } = new();

    public List<View> Views { get; } = new();

    public List<VerbatimStatement> Verbatim { get; } = new();

    /// <summary>CREATE INDEX statements, attached to their tables once every file is read.</summary>
    public List<(QualifiedName Table, Index Index)> CreateIndexes { get; } = new();

    /// <summary>Keys and constraints of <c>ALTER TABLE ... ADD</c>, folded into their tables once every file is read.</summary>
    public List<MySqlTableBuilder> TableAdditions { get; } = new();

    public IReadOnlyList<Allowance> Allowances => binder.Allowances;

    public void ParseFile()
    {
        while (!cursor.AtEnd)
        {
            if (cursor.AcceptPunctuation(';'))
            {
                continue;
            }

            var start = cursor.Position;
            try
            {
                ParseStatement();
                if (!cursor.AtEnd && !cursor.IsPunctuation(';'))
                {
                    throw cursor.Error("';'");
                }
            }
            catch (SyntaxErrorException error)
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.SyntaxError, error.Message, cursor.SpanOf(error.At)));
                Recover(start);
            }
            catch (Exception error)
            {
                // A bug, not bad input; still a diagnostic rather than a crash.
                diagnostics.Add(Diagnostic.Create(
                    DiagnosticCatalog.SyntaxError,
                    "could not read this statement (" + error.GetType().Name + ": " + error.Message + ")",
                    cursor.SpanOf(cursor.TokenAt(start))));
                Recover(start);
            }
        }

        binder.ReportDangling(diagnostics);
    }

    /// <summary>
    /// Skips to the end of the statement that failed: its ';' outside BEGIN ... END blocks, or a
    /// statement keyword at the start of a line when the ';' is missing, so one error never
    /// swallows or garbles the statements after it. Always makes progress.
    /// </summary>
    private void Recover(int start)
    {
        var failedAt = Math.Max(cursor.Position, start + 1);
        var end = StatementEnd(cursor.Lex.Tokens, start);
        cursor.Position = start + 1;
        while (!cursor.AtEnd && cursor.Position < end)
        {
            var token = cursor.Current;
            if (cursor.Position >= failedAt && token.Column == 1 && StatementStarts.Contains(token.Text))
            {
                return;
            }

            cursor.Advance();
        }

        if (end < failedAt)
        {
            // The parser read past the block-aware end (an unbalanced BEGIN): go on to the next ';'.
            cursor.Position = failedAt;
            SkipToEnd();
        }
    }

    private void ParseStatement()
    {
        var first = cursor.Current;
        if (first.IsWord("create"))
        {
            ParseCreate();
        }
        else if (first.IsWord("set") || first.IsWord("use") || (first.IsWord("lock") && cursor.Peek().IsWord("tables"))
            || (first.IsWord("unlock") && cursor.Peek().IsWord("tables")))
        {
            Ignore(first, first.Text.ToUpperInvariant() + (first.IsWord("set") || first.IsWord("use") ? string.Empty : " TABLES")
                + " only prepares the session for loading");
        }
        else if (first.IsWord("drop") && (cursor.Peek().IsWord("table") || cursor.Peek().IsWord("view"))
            && cursor.Peek(2).IsWord("if") && cursor.Peek(3).IsWord("exists"))
        {
            DropPlaceholders();
            Ignore(first, $"DROP {cursor.Peek().Text.ToUpperInvariant()} IF EXISTS before its CREATE only prepares a clean load");
        }
        else if (first.IsWord("alter") && cursor.Peek().IsWord("table") && IsAlterTableAdd())
        {
            ParseAlterTableAdd();
        }
        else if (first.IsWord("alter") && cursor.Peek().IsWord("table") && cursor.Peek(2).IsIdentifierLike
            && (cursor.Peek(3).IsWord("disable") || cursor.Peek(3).IsWord("enable")) && cursor.Peek(4).IsWord("keys"))
        {
            Ignore(first, "ALTER TABLE ... DISABLE/ENABLE KEYS only speeds up loading data");
        }
        else if (first.IsWord("grant") || first.IsWord("revoke"))
        {
            KeepVerbatim(cursor.Position, first.Text.ToLowerInvariant(), null);
        }
        else if (first.IsWord("delimiter"))
        {
            throw cursor.ErrorAt(first, "DELIMITER is a command of the mysql client that must start a line of its own (DELIMITER ;; ... DELIMITER ;)");
        }
        else if (first.Kind == TokenKind.Word && NotAllowed.Contains(first.Text))
        {
            diagnostics.Add(Diagnostic.Create(
                DiagnosticCatalog.StatementNotAllowed,
                $"{first.Text.ToUpperInvariant()} statements are not allowed: declarative schema files may only hold CREATE statements (TABLE, INDEX, VIEW)",
                cursor.SpanOf(first)));
            SkipToEnd();
        }
        else
        {
            throw cursor.Error("a CREATE statement");
        }
    }

    /// <summary>
    /// mysqldump declares each view first as a placeholder (a table, or a view selecting constants)
    /// so that views can refer to each other, then drops it right before the real CREATE VIEW: a
    /// DROP ... IF EXISTS of an object this file already declared takes that declaration back.
    /// </summary>
    private void DropPlaceholders()
    {
        var start = cursor.Position;
        cursor.Position += 4;
        do
        {
            if (!cursor.Current.IsIdentifierLike)
            {
                break;
            }

            var name = ReadQualifiedName();
            Tables.RemoveAll(t => string.Equals(t.Name.Name, name.Name, StringComparison.OrdinalIgnoreCase));
            Views.RemoveAll(v => string.Equals(v.Name.Name, name.Name, StringComparison.OrdinalIgnoreCase));
        }
        while (cursor.AcceptPunctuation(','));
        cursor.Position = start;
    }

    /// <summary>A statement that only prepares a load: SB0010 (info), skipped.</summary>
    private void Ignore(Token first, string why)
    {
        diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.StatementIgnored, why + ": ignored, the schema is what the CREATE statements declare", cursor.SpanOf(first)));
        SkipToEnd();
    }

    /// <summary><c>ALTER TABLE [ONLY] t ADD</c> followed by a key or constraint (what dumps write after the CREATE TABLE).</summary>
    private bool IsAlterTableAdd()
    {
        var i = 3;
        while (cursor.Peek(i).IsPunctuation('.'))
        {
            i += 2;
        }

        var what = cursor.Peek(i + 1);
        return cursor.Peek(2).IsIdentifierLike && cursor.Peek(i).IsWord("add")
            && (what.IsWord("constraint") || what.IsWord("primary") || what.IsWord("unique") || what.IsWord("foreign")
                || what.IsWord("index") || what.IsWord("key") || what.IsWord("fulltext") || what.IsWord("spatial") || what.IsWord("check"));
    }

    /// <summary>
    /// <c>ALTER TABLE t ADD CONSTRAINT ... FOREIGN KEY ..., ADD KEY ...</c>: the keys and constraints
    /// are part of the table's declaration, read as in CREATE TABLE and folded into it later.
    /// </summary>
    private void ParseAlterTableAdd()
    {
        cursor.ExpectWords("alter", "table");
        var nameToken = cursor.Current;
        var additions = new MySqlTableBuilder(ReadQualifiedName()) { Span = cursor.SpanOf(nameToken) };
        do
        {
            cursor.ExpectWord("add");
            if (!IsTableConstraintStart())
            {
                throw cursor.Error("a key or constraint after ADD (ALTER TABLE may only restate keys and constraints; declare columns in CREATE TABLE)");
            }

            ParseTableConstraint(additions);
        }
        while (cursor.AcceptPunctuation(','));
        TableAdditions.Add(additions);
    }

    private void SkipToEnd()
    {
        while (!cursor.AtEnd && !cursor.IsPunctuation(';'))
        {
            cursor.Advance();
        }
    }

    private void ParseCreate()
    {
        var createToken = cursor.Advance();
        var start = cursor.Position - 1;
        cursor.AcceptWords("or", "replace");
        if (cursor.IsWord("temporary"))
        {
            diagnostics.Add(Diagnostic.Create(
                DiagnosticCatalog.StatementNotAllowed,
                "CREATE TEMPORARY TABLE statements are not allowed: a temporary table is not part of a schema",
                cursor.SpanOf(cursor.Current)));
            SkipToEnd();
            return;
        }

        var viewOptions = new List<ObjectOption>();
        while (true)
        {
            if (cursor.AcceptWord("algorithm"))
            {
                cursor.AcceptOperator("=");
                viewOptions.Add(new ObjectOption("algorithm", cursor.ExpectIdentifier("an algorithm (UNDEFINED, MERGE, TEMPTABLE)").Text.ToLowerInvariant()));
            }
            else if (cursor.AcceptWord("definer"))
            {
                cursor.AcceptOperator("=");
                SkipDefiner();
            }
            else if (cursor.AcceptWords("sql", "security"))
            {
                viewOptions.Add(new ObjectOption("security", cursor.ExpectIdentifier("DEFINER or INVOKER").Text.ToLowerInvariant()));
            }
            else if (cursor.AcceptWord("aggregate") || cursor.AcceptWord("online") || cursor.AcceptWord("offline"))
            {
                continue;
            }
            else
            {
                break;
            }
        }

        var what = cursor.Current;
        if (what.IsWord("table"))
        {
            cursor.Advance();
            ParseTable(createToken);
        }
        else if (what.IsWord("view"))
        {
            cursor.Advance();
            ParseView(createToken, viewOptions);
        }
        else if (what.IsWord("index") || what.IsWord("unique") || what.IsWord("fulltext") || what.IsWord("spatial"))
        {
            ParseCreateIndex();
        }
        else if (what.IsWord("database") || what.IsWord("schema"))
        {
            SkipToEnd();
        }
        else if (what.IsWord("function") || what.IsWord("procedure") || what.IsWord("trigger") || what.IsWord("event")
            || what.IsWord("sequence") || what.IsWord("package"))
        {
            cursor.Advance();
            cursor.AcceptWords("if", "not", "exists");
            var name = cursor.Current.IsIdentifierLike ? ReadQualifiedName().Name : null;
            KeepVerbatim(start, what.Text.ToLowerInvariant(), name, readBack: name is not null && (what.IsWord("function") || what.IsWord("procedure") || what.IsWord("trigger")));
        }
        else if (what.IsWord("user") || what.IsWord("role") || what.IsWord("server") || what.IsWord("tablespace"))
        {
            diagnostics.Add(Diagnostic.Create(
                DiagnosticCatalog.StatementNotAllowed,
                $"CREATE {what.Text.ToUpperInvariant()} statements are not allowed: declarative schema files may only hold CREATE TABLE, INDEX and VIEW",
                cursor.SpanOf(what)));
            SkipToEnd();
        }
        else
        {
            throw cursor.Error("TABLE, VIEW, INDEX, FUNCTION, PROCEDURE, TRIGGER or EVENT");
        }
    }

    /// <summary><c>user@host</c>, <c>'user'@'host'</c>, <c>`user`@`host`</c> or CURRENT_USER[()].</summary>
    private void SkipDefiner()
    {
        if (cursor.AcceptWord("current_user"))
        {
            if (cursor.AcceptPunctuation('('))
            {
                cursor.ExpectPunctuation(')');
            }

            return;
        }

        if (cursor.Current.Kind is TokenKind.String or TokenKind.Word or TokenKind.QuotedIdentifier)
        {
            cursor.Advance();
        }
        else
        {
            throw cursor.Error("a definer (user@host)");
        }

        if (cursor.Current.Kind == TokenKind.Parameter && cursor.Current.Text.StartsWith("@", StringComparison.Ordinal))
        {
            cursor.Advance();
        }
    }

    /// <summary>
    /// Keeps a statement as written, byte for byte from CREATE to its last token: that text is what
    /// a plan deploys. Functions, procedures and triggers (<paramref name="readBack"/>, the cursor just
    /// after their name) also get their canonical definition; the rest are compared as folded text
    /// and not read back (SB0007).
    /// </summary>
    private void KeepVerbatim(int start, string kind, string? name, bool readBack = false)
    {
        var end = StatementEnd(start);
        var first = cursor.TokenAt(start);
        var text = WithExecutableComments(cursor.TokenAt(start).Start, end > start ? cursor.TokenAt(end - 1).End : cursor.TokenAt(start).End);
        var span = cursor.SpanOf(first, cursor.TokenAt(end > start ? end - 1 : start));
        var statement = new VerbatimStatement(kind, text) { Name = name, Span = span, Definition = VerbatimStatement.Fold(text) };
        string? problem = null;
        if (readBack)
        {
            try
            {
                Verbatim.Add(MySqlProgrammableReader.Read(cursor, end, statement with { DropTarget = MySqlNames.Quote(name!) }));
                return;
            }
            catch (SyntaxErrorException error)
            {
                problem = error.Message;
            }
        }

        cursor.Position = end;
        Verbatim.Add(statement);
        diagnostics.Add(Diagnostic.Create(
            DiagnosticCatalog.NotModelled,
            problem is null
                ? $"{kind.ToUpperInvariant()} is not modelled: it is kept verbatim and compared as text"
                : $"{kind.ToUpperInvariant()} is kept verbatim and compared as text, and is not read back from the server: this form is not understood ({problem})",
            span,
            name));
    }

    /// <summary>
    /// The source from <paramref name="from"/> to <paramref name="to"/>, widened to the executable
    /// comments the statement starts or ends inside, as mysqldump writes triggers
    /// (<c>/*!50003 CREATE*/ /*!50017 DEFINER=...*/ /*!50003 TRIGGER ... END */</c>), so the text deployed is balanced.
    /// </summary>
    private string WithExecutableComments(int from, int to)
    {
        var source = cursor.Lex.File.Text;
        var opening = ExecutableCommentOpening.Match(source.Substring(Math.Max(0, from - 16), Math.Min(16, from)));
        if (opening.Success)
        {
            from -= opening.Length;
        }

        var text = source.Substring(from, to - from);
        var open = CountOf(text, "/*!") + CountOf(text, "/*M!");
        if (open > CountOf(text, "*/"))
        {
            var next = to;
            while (next < source.Length && char.IsWhiteSpace(source[next]))
            {
                next++;
            }

            if (string.CompareOrdinal(source, next, "*/", 0, 2) == 0)
            {
                text = source.Substring(from, next + 2 - from);
            }
        }

        return text;
    }

    private static readonly System.Text.RegularExpressions.Regex ExecutableCommentOpening = new(@"/\*M?!\d*\s*$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>The end of the statement at <paramref name="start"/>: under a custom DELIMITER, the delimiter the client would stop at.</summary>
    private int StatementEnd(int start)
    {
        var tokens = cursor.Lex.Tokens;
        if (delimiters is null || !delimiters.InCustomRegion(tokens[start].Start))
        {
            return StatementEnd(tokens, start);
        }

        var i = start;
        while (i < tokens.Count - 1 && !(tokens[i].IsPunctuation(';') && delimiters.StatementEnds.Contains(tokens[i].Start)))
        {
            i++;
        }

        return i;
    }

    /// <summary>
    /// Index of the ';' (or end of file) that ends the statement starting at <paramref name="start"/>.
    /// Routine bodies contain ';', so the statement ends at the first ';' outside BEGIN ... END
    /// and CASE ... END blocks (END IF, END LOOP, END WHILE, END REPEAT close nothing counted).
    /// </summary>
    internal static int StatementEnd(IReadOnlyList<Token> tokens, int start)
    {
        var depth = 0;
        var i = start;
        for (; i < tokens.Count - 1; i++)
        {
            var token = tokens[i];
            var next = tokens[i + 1];
            if (token.IsPunctuation(';') && depth == 0)
            {
                break;
            }

            if (token.IsWord("begin") && !next.IsWord("work") && !next.IsPunctuation(';'))
            {
                depth++;
            }
            else if (token.IsWord("case") && depth > 0)
            {
                depth++;
            }
            else if (token.IsWord("end") && depth > 0)
            {
                if (next.IsWord("if") || next.IsWord("loop") || next.IsWord("while") || next.IsWord("repeat") || next.IsWord("for"))
                {
                    i++;
                    continue;
                }

                depth--;
                if (next.IsWord("case"))
                {
                    i++;
                }
            }
        }

        return i;
    }

    /// <summary>A name, possibly qualified with a database (the database part is dropped: objects live in the connection's database).</summary>
    private QualifiedName ReadQualifiedName()
    {
        var name = cursor.ExpectIdentifier("a name").Value;
        while (cursor.IsPunctuation('.') && cursor.Peek().IsIdentifierLike)
        {
            cursor.Advance();
            name = cursor.Advance().Value;
        }

        return QualifiedName.Unqualified(name);
    }

    private void ParseView(Token createToken, List<ObjectOption> options)
    {
        cursor.AcceptWords("if", "not", "exists");
        var nameToken = cursor.Current;
        var name = ReadQualifiedName();
        var annotations = binder.Take(createToken.Line);
        var columns = new List<string>();
        if (cursor.AcceptPunctuation('('))
        {
            do
            {
                columns.Add(cursor.ExpectIdentifier("a column name").Value);
            }
            while (cursor.AcceptPunctuation(','));
            cursor.ExpectPunctuation(')');
        }

        cursor.ExpectWord("as");
        var queryStart = cursor.Position;
        if (!cursor.IsWord("select") && !cursor.IsWord("with") && !cursor.IsPunctuation('('))
        {
            throw cursor.Error("SELECT");
        }

        SkipToEnd();
        var queryEnd = cursor.Position;
        string? checkOption = null;
        if (queryEnd - queryStart >= 3 && cursor.TokenAt(queryEnd - 1).IsWord("option") && cursor.TokenAt(queryEnd - 2).IsWord("check"))
        {
            var with = queryEnd - 3;
            checkOption = "CASCADED";
            if (cursor.TokenAt(with).IsWord("cascaded") || cursor.TokenAt(with).IsWord("local"))
            {
                checkOption = cursor.TokenAt(with).Text.ToUpperInvariant();
                with--;
            }

            if (!cursor.TokenAt(with).IsWord("with"))
            {
                throw cursor.ErrorAt(cursor.TokenAt(with), "expected WITH before CHECK OPTION, found " + cursor.TokenAt(with).Describe());
            }

            queryEnd = with;
        }

        if (queryEnd <= queryStart)
        {
            throw cursor.Error("SELECT");
        }

        Views.Add(new View(name, cursor.SourceText(queryStart, queryEnd))
        {
            ColumnNames = columns.ToEquatableList(),
            CheckOption = checkOption,
            Options = options.OrderBy(o => o.Name, StringComparer.Ordinal).ToEquatableList(),
            Span = cursor.SpanOf(nameToken),
            Annotations = annotations,
        });
    }

    private void ParseCreateIndex()
    {
        var kind = IndexKind.Regular;
        if (cursor.AcceptWord("unique"))
        {
            kind = IndexKind.Unique;
        }
        else if (cursor.AcceptWord("fulltext"))
        {
            kind = IndexKind.FullText;
        }
        else if (cursor.AcceptWord("spatial"))
        {
            kind = IndexKind.Spatial;
        }

        var indexToken = cursor.ExpectWord("index");
        cursor.AcceptWords("if", "not", "exists");
        var name = cursor.ExpectIdentifier("an index name").Value;
        var annotations = binder.Take(indexToken.Line);
        string? method = null;
        if (cursor.AcceptWord("using"))
        {
            method = cursor.ExpectIdentifier("BTREE or HASH").Text.ToLowerInvariant();
        }

        cursor.ExpectWord("on");
        var table = ReadQualifiedName();
        var index = new Index(name, kind, ParseKeyParts()) { Method = method, Span = cursor.SpanOf(indexToken), Annotations = annotations };
        index = ParseIndexOptions(index);
        while (cursor.IsWord("algorithm") || cursor.IsWord("lock"))
        {
            cursor.Advance();
            cursor.AcceptOperator("=");
            cursor.ExpectIdentifier("a value");
        }

        CreateIndexes.Add((table, index));
    }

    private EquatableList<IndexKeyPart> ParseKeyParts()
    {
        cursor.ExpectPunctuation('(');
        var parts = new List<IndexKeyPart>();
        do
        {
            IndexKeyPart part;
            if (cursor.IsPunctuation('('))
            {
                var open = cursor.Position;
                SkipParenthesized();
                part = IndexKeyPart.ForExpression(MySqlExpressions.Canonical(cursor.Lex.Tokens, open + 1, cursor.Position - 1));
            }
            else
            {
                part = IndexKeyPart.ForColumn(cursor.ExpectIdentifier("a column name").Value);
                if (cursor.AcceptPunctuation('('))
                {
                    part = part with { PrefixLength = ReadInt("a prefix length") };
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

            parts.Add(part);
        }
        while (cursor.AcceptPunctuation(','));
        cursor.ExpectPunctuation(')');
        return parts.ToEquatableList();
    }

    private Index ParseIndexOptions(Index index)
    {
        while (true)
        {
            if (cursor.AcceptWord("using"))
            {
                index = index with { Method = cursor.ExpectIdentifier("BTREE or HASH").Text.ToLowerInvariant() };
            }
            else if (cursor.AcceptWord("comment"))
            {
                cursor.AcceptOperator("=");
                index = index with { Comment = EmptyToNull(cursor.ExpectKind(TokenKind.String, "a comment string").Value) };
            }
            else if (cursor.AcceptWord("key_block_size"))
            {
                cursor.AcceptOperator("=");
                index = index with { Options = index.Options.Add(new ObjectOption("key_block_size", ReadInt("a size").ToString(CultureInfo.InvariantCulture))) };
            }
            else if (cursor.AcceptWords("with", "parser"))
            {
                index = index with { Options = index.Options.Add(new ObjectOption("parser", cursor.ExpectIdentifier("a parser name").Value)) };
            }
            else if (cursor.AcceptWord("invisible") || cursor.AcceptWord("ignored"))
            {
                index = index with { Invisible = true };
            }
            else if (cursor.AcceptWord("visible") || cursor.AcceptWords("not", "ignored"))
            {
                index = index with { Invisible = false };
            }
            else
            {
                return index;
            }
        }
    }

    /// <summary>Skips a balanced '(' ... ')' group starting at the current '('.</summary>
    private void SkipParenthesized()
    {
        var open = cursor.ExpectPunctuation('(');
        var depth = 1;
        while (depth > 0)
        {
            if (cursor.AtEnd)
            {
                throw cursor.ErrorAt(open, "expected ')' to close the '(' at line " + open.Line + ", column " + open.Column + ", found end of file");
            }

            var token = cursor.Advance();
            if (token.IsPunctuation('('))
            {
                depth++;
            }
            else if (token.IsPunctuation(')'))
            {
                depth--;
            }
            else if (token.IsPunctuation(';'))
            {
                throw cursor.ErrorAt(token, "expected ')' to close the '(' at line " + open.Line + ", column " + open.Column + ", found ';'");
            }
        }
    }

    /// <summary>The canonical expression inside a parenthesized group at the current '('.</summary>
    private string ReadParenthesizedExpression()
    {
        var open = cursor.Position;
        SkipParenthesized();
        if (cursor.Position - 1 == open + 1)
        {
            throw cursor.ErrorAt(cursor.TokenAt(open + 1), "expected an expression, found ')'");
        }

        return MySqlExpressions.Canonical(cursor.Lex.Tokens, open + 1, cursor.Position - 1);
    }

    private int ReadInt(string what)
    {
        var token = cursor.ExpectKind(TokenKind.Number, what);
        if (!int.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw cursor.ErrorAt(token, "expected " + what + ", found " + token.Describe());
        }

        return value;
    }

    private static string? EmptyToNull(string text) => text.Length == 0 ? null : text;

    private void Duplicate(string what, string name, Token at, string? objectName = null) =>
        diagnostics.Add(Diagnostic.Create(
            DiagnosticCatalog.DuplicateObject,
            $"{what} '{name}' is defined twice",
            cursor.SpanOf(at),
            objectName ?? name));
}
