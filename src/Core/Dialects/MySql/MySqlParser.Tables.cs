using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Dialects.MySql;

/// <summary>CREATE TABLE: columns, keys, constraints and table options.</summary>
internal sealed partial class MySqlParser
{
    private static readonly HashSet<string> StringTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "char", "varchar", "binary", "varbinary", "bit", "text", "blob", "tinytext", "mediumtext", "longtext",
        "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "int1", "int2", "int3", "int4", "int8",
        "middleint", "year", "character",
    };

    private void ParseTable(Token createToken)
    {
        cursor.AcceptWords("if", "not", "exists");
        var nameToken = cursor.Current;
        var table = new MySqlTableBuilder(ReadQualifiedName())
        {
            Span = cursor.SpanOf(nameToken),
            Annotations = binder.Take(createToken.Line),
        };
        if (cursor.IsWord("like") || cursor.IsWord("as") || cursor.IsWord("select"))
        {
            throw cursor.ErrorAt(cursor.Current, "expected '(' and column definitions, found " + cursor.Current.Describe()
                + ": CREATE TABLE ... LIKE/AS SELECT cannot be declared, write the columns out");
        }

        cursor.ExpectPunctuation('(');
        do
        {
            if (IsTableConstraintStart())
            {
                ParseTableConstraint(table);
            }
            else
            {
                ParseColumn(table);
            }
        }
        while (cursor.AcceptPunctuation(','));
        cursor.ExpectPunctuation(')');
        ParseTableOptions(table);
        Tables.Add(table.Build());
    }

    private bool IsTableConstraintStart()
    {
        var token = cursor.Current;
        if (token.Kind != TokenKind.Word)
        {
            return false;
        }

        return token.IsWord("constraint") || token.IsWord("primary") || token.IsWord("unique") || token.IsWord("foreign")
            || token.IsWord("check") || token.IsWord("key") || token.IsWord("index") || token.IsWord("fulltext") || token.IsWord("spatial");
    }

    /// <summary>Whether the table has a column of that name (as the server compares them): a loop, where a predicate allocated a delegate and a closure per column read.</summary>
    private static bool HasColumn(MySqlTableBuilder table, string name)
    {
        foreach (var column in table.Columns)
        {
            if (string.Equals(column.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private void ParseColumn(MySqlTableBuilder table)
    {
        var nameToken = cursor.ExpectIdentifier("a column name or constraint");
        var annotations = binder.Take(nameToken.Line);
        var (type, charset, binary) = ParseDataType();
        var column = new Column(nameToken.Value, type)
        {
            Charset = charset,
            Span = cursor.SpanOf(nameToken),
            Annotations = annotations,
        };
        if (binary)
        {
            table.BinaryColumns.Add(column.Name);
        }

        column = ParseColumnAttributes(table, column);
        if (HasColumn(table, column.Name))
        {
            Duplicate("column", column.Name, nameToken, table.Name.Name + "." + column.Name);
        }

        table.Columns.Add(column);
    }

    private (DataType Type, string? Charset, bool Binary) ParseDataType()
    {
        var typeToken = cursor.ExpectKind(TokenKind.Word, "a data type");
        var name = typeToken.Text.ToLowerInvariant();
        string? charset = null;
        switch (name)
        {
            case "double":
                cursor.AcceptWord("precision");
                break;
            case "character" or "char":
                name = cursor.AcceptWord("varying") ? "varchar" : "char";
                break;
            case "national":
                charset = "utf8mb3";
                name = cursor.ExpectKind(TokenKind.Word, "CHAR or VARCHAR").Text.ToLowerInvariant();
                name = name == "varchar" || cursor.AcceptWord("varying") ? "varchar" : "char";
                break;
            case "nchar":
                charset = "utf8mb3";
                name = cursor.AcceptWord("varying") ? "varchar" : "char";
                break;
            case "nvarchar":
                charset = "utf8mb3";
                name = "varchar";
                break;
            case "long":
                name = cursor.AcceptWord("varbinary") ? "mediumblob" : "mediumtext";
                cursor.AcceptWord("varchar");
                break;
        }

        var type = new DataType(name);
        if (cursor.AcceptPunctuation('('))
        {
            if (name is "enum" or "set")
            {
                var values = new List<string>();
                do
                {
                    values.Add(cursor.ExpectKind(TokenKind.String, "a quoted value").Value);
                }
                while (cursor.AcceptPunctuation(','));
                type = type with { Values = values.ToEquatableList() };
            }
            else
            {
                var first = ReadInt("a length or precision");
                int? second = cursor.AcceptPunctuation(',') ? ReadInt("a scale") : null;
                type = StringTypes.Contains(name) && second is null
                    ? type with { Length = first }
                    : type with { Precision = first, Scale = second };
            }

            cursor.ExpectPunctuation(')');
        }

        var binary = false;
        while (true)
        {
            if (cursor.AcceptWord("unsigned"))
            {
                type = type with { Unsigned = true };
            }
            else if (cursor.AcceptWord("signed"))
            {
                type = type with { Unsigned = false };
            }
            else if (cursor.AcceptWord("zerofill"))
            {
                type = type with { Zerofill = true, Unsigned = true };
            }
            else if (cursor.AcceptWord("binary"))
            {
                binary = true;
            }
            else if (cursor.AcceptWord("ascii"))
            {
                charset = "latin1";
            }
            else if (cursor.AcceptWord("unicode"))
            {
                charset = "ucs2";
            }
            else if (AcceptCharsetKeyword())
            {
                charset = ReadCharsetName();
            }
            else
            {
                return (types.Get(type), charset, binary);
            }
        }
    }

    private bool AcceptCharsetKeyword() =>
        cursor.AcceptWord("charset") || cursor.AcceptWords("character", "set") || cursor.AcceptWords("char", "set");

    private string ReadCharsetName()
    {
        cursor.AcceptOperator("=");
        var token = cursor.Current;
        if (token.Kind is not (TokenKind.Word or TokenKind.QuotedIdentifier or TokenKind.String))
        {
            throw cursor.Error("a character set or collation name");
        }

        cursor.Advance();
        return token.Value.ToLowerInvariant();
    }

    private Column ParseColumnAttributes(MySqlTableBuilder table, Column column)
    {
        // The attributes are collected and set with one copy of the column at the end: a copy per attribute (most columns
        // have two or three) was the largest part of what reading a large schema's columns allocated.
        var type = column.Type;
        var nullable = column.Nullable;
        var columnDefault = column.Default;
        var autoIncrement = column.AutoIncrement;
        var onUpdate = column.OnUpdate;
        var generated = column.Generated;
        var comment = column.Comment;
        var invisible = column.Invisible;
        var collation = column.Collation;
        var charset = column.Charset;
        Column Finish() => column.With(type, nullable, columnDefault, autoIncrement, onUpdate, generated, comment, invisible, collation, charset);

        while (true)
        {
            var token = cursor.Current;
            if (cursor.AcceptWords("not", "null"))
            {
                nullable = false;
            }
            else if (cursor.AcceptWord("null"))
            {
                nullable = true;
            }
            else if (cursor.AcceptWord("default"))
            {
                columnDefault = ParseDefault();
            }
            else if (cursor.AcceptWord("auto_increment"))
            {
                autoIncrement = true;
            }
            else if (cursor.AcceptWords("on", "update"))
            {
                onUpdate = ParseDefault()?.Value;
            }
            else if (cursor.AcceptWords("generated", "always") || cursor.IsWord("as"))
            {
                cursor.ExpectWord("as");
                var expression = ReadParenthesizedExpression();
                var stored = cursor.AcceptWord("stored") || cursor.AcceptWord("persistent");
                if (!stored)
                {
                    cursor.AcceptWord("virtual");
                }

                generated = new GeneratedColumn(expression, stored);
            }
            else if (cursor.AcceptWord("comment"))
            {
                comment = EmptyToNull(cursor.ExpectKind(TokenKind.String, "a comment string").Value);
            }
            else if (cursor.AcceptWord("invisible"))
            {
                invisible = true;
            }
            else if (cursor.AcceptWord("visible"))
            {
                invisible = false;
            }
            else if (cursor.AcceptWords("primary", "key") || cursor.AcceptWord("key"))
            {
                SetPrimaryKey(table, new PrimaryKey(MySqlDefaults.PrimaryKeyName, EquatableList<IndexKeyPart>.Of(IndexKeyPart.ForColumn(column.Name))) { Span = cursor.SpanOf(token) }, token);
            }
            else if (cursor.AcceptWord("unique"))
            {
                cursor.AcceptWord("key");
                table.Indexes.Add(new Index(string.Empty, IndexKind.Unique, EquatableList<IndexKeyPart>.Of(IndexKeyPart.ForColumn(column.Name))) { Span = cursor.SpanOf(token) });
            }
            else if (cursor.IsWord("references"))
            {
                AddForeignKey(table, string.Empty, EquatableList<string>.Of(column.Name), token);
            }
            else if (cursor.IsWord("constraint") || cursor.IsWord("check"))
            {
                string? name = null;
                if (cursor.AcceptWord("constraint") && !cursor.IsWord("check"))
                {
                    name = cursor.ExpectIdentifier("a constraint name").Value;
                }

                cursor.ExpectWord("check");

                // The server names a column's own CHECK after the column.
                AddCheck(table, name ?? column.Name, ReadParenthesizedExpression(), token);
            }
            else if (cursor.AcceptWord("collate"))
            {
                collation = ReadCharsetName();
            }
            else if (AcceptCharsetKeyword())
            {
                charset = ReadCharsetName();
            }
            else if (cursor.AcceptWord("column_format") || cursor.AcceptWord("storage"))
            {
                cursor.ExpectIdentifier("a value");
            }
            else if (cursor.AcceptWords("serial", "default", "value"))
            {
                autoIncrement = true;
                nullable = false;
                table.Indexes.Add(new Index(string.Empty, IndexKind.Unique, EquatableList<IndexKeyPart>.Of(IndexKeyPart.ForColumn(column.Name))) { Span = cursor.SpanOf(token) });
            }
            else
            {
                if (column.Type.Name == "serial")
                {
                    // SERIAL is BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE.
                    type = new DataType("bigint") { Unsigned = true };
                    autoIncrement = true;
                    nullable = false;
                    if (table.PrimaryKey?.Parts.Count == 1 && table.PrimaryKey.Parts[0].Column == column.Name)
                    {
                        // The server drops SERIAL's unique key when the column is the primary key.
                        return Finish();
                    }

                    table.Indexes.Add(new Index(string.Empty, IndexKind.Unique, EquatableList<IndexKeyPart>.Of(IndexKeyPart.ForColumn(column.Name))) { Span = column.Span });
                }

                return Finish();
            }
        }
    }

    /// <summary>A DEFAULT or ON UPDATE value: literal, NULL (no default), or expression.</summary>
    private ColumnDefault? ParseDefault()
    {
        var token = cursor.Current;
        if (token.IsPunctuation('('))
        {
            return ColumnDefault.Expression(ReadParenthesizedExpression());
        }

        if (token.Kind == TokenKind.String)
        {
            var value = cursor.Advance().Value;
            while (cursor.Current.Kind == TokenKind.String)
            {
                value += cursor.Advance().Value;
            }

            return ColumnDefault.Literal(value);
        }

        if (token.Kind == TokenKind.Number)
        {
            return ColumnDefault.Literal(cursor.Advance().Text);
        }

        if ((token.IsOperator("-") || token.IsOperator("+")) && cursor.Peek().Kind == TokenKind.Number)
        {
            cursor.Advance();
            var number = cursor.Advance().Text;
            return ColumnDefault.Literal(token.IsOperator("-") ? "-" + number : number);
        }

        if (cursor.AcceptWord("null"))
        {
            return null;
        }

        var start = cursor.Position;
        if (token.Kind == TokenKind.BinaryLiteral)
        {
            cursor.Advance();
        }
        else if (token.Kind == TokenKind.Word)
        {
            cursor.Advance();
            if (cursor.IsPunctuation('('))
            {
                SkipParenthesized();
            }
        }
        else
        {
            throw cursor.Error("a default value");
        }

        return ColumnDefault.Expression(MySqlExpressions.Canonical(cursor.Lex.Tokens, start, cursor.Position));
    }

    private void SetPrimaryKey(MySqlTableBuilder table, PrimaryKey key, Token at)
    {
        if (table.PrimaryKey is not null)
        {
            Duplicate("primary key of table", table.Name.Name, at, table.Name.Name + ".PRIMARY");
            return;
        }

        table.PrimaryKey = key;
    }

    private void AddCheck(MySqlTableBuilder table, string name, string expression, Token at)
    {
        if (name.Length > 0 && table.Checks.Any(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            Duplicate("check constraint", name, at, table.Name.Name + "." + name);
        }

        table.Checks.Add(new CheckConstraint(name, expression) { Span = cursor.SpanOf(at) });
    }

    private void AddIndex(MySqlTableBuilder table, Index index, Token at)
    {
        if (index.Name.Length > 0 && table.Indexes.Any(i => string.Equals(i.Name, index.Name, StringComparison.OrdinalIgnoreCase)))
        {
            Duplicate("index", index.Name, at, table.Name.Name + "." + index.Name);
        }

        table.Indexes.Add(index);
    }

    private void AddForeignKey(MySqlTableBuilder table, string name, EquatableList<string> columns, Token at)
    {
        cursor.ExpectWord("references");
        var referenced = ReadQualifiedName();
        var referencedColumns = new List<string>();
        if (cursor.AcceptPunctuation('('))
        {
            do
            {
                referencedColumns.Add(cursor.ExpectIdentifier("a column name").Value);
            }
            while (cursor.AcceptPunctuation(','));
            cursor.ExpectPunctuation(')');
        }

        var key = new ForeignKey(name, columns, referenced, referencedColumns.ToEquatableList()) { Span = cursor.SpanOf(at) };
        while (true)
        {
            if (cursor.AcceptWord("match"))
            {
                key = key with { MatchFull = cursor.ExpectIdentifier("FULL, PARTIAL or SIMPLE").IsWord("full") };
            }
            else if (cursor.AcceptWords("on", "delete"))
            {
                key = key with { OnDelete = ReadAction() };
            }
            else if (cursor.AcceptWords("on", "update"))
            {
                key = key with { OnUpdate = ReadAction() };
            }
            else
            {
                break;
            }
        }

        if (name.Length > 0 && table.ForeignKeys.Any(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            Duplicate("foreign key", name, at, table.Name.Name + "." + name);
        }

        table.ForeignKeys.Add(key);
    }

    private ReferentialAction ReadAction()
    {
        if (cursor.AcceptWord("restrict"))
        {
            return ReferentialAction.Restrict;
        }

        if (cursor.AcceptWord("cascade"))
        {
            return ReferentialAction.Cascade;
        }

        if (cursor.AcceptWords("set", "null"))
        {
            return ReferentialAction.SetNull;
        }

        if (cursor.AcceptWords("set", "default"))
        {
            return ReferentialAction.SetDefault;
        }

        if (cursor.AcceptWords("no", "action"))
        {
            return ReferentialAction.NoAction;
        }

        throw cursor.Error("RESTRICT, CASCADE, SET NULL, SET DEFAULT or NO ACTION");
    }

    private void ParseTableConstraint(MySqlTableBuilder table)
    {
        var start = cursor.Current;
        string? constraintName = null;
        if (cursor.AcceptWord("constraint") && cursor.Current.IsIdentifierLike
            && !(cursor.IsWord("primary") || cursor.IsWord("unique") || cursor.IsWord("foreign") || cursor.IsWord("check")))
        {
            constraintName = cursor.Advance().Value;
        }

        var annotations = binder.Take(start.Line);
        if (cursor.AcceptWords("primary", "key"))
        {
            var method = ReadOptionalIndexNameAndMethod(out _);
            var key = ParseIndexOptions(new Index(MySqlDefaults.PrimaryKeyName, IndexKind.Unique, ParseKeyParts()) { Method = method });
            SetPrimaryKey(table, new PrimaryKey(MySqlDefaults.PrimaryKeyName, key.Parts) { Comment = key.Comment, Span = cursor.SpanOf(start) }, start);
        }
        else if (cursor.AcceptWord("foreign"))
        {
            cursor.ExpectWord("key");
            string? indexName = null;
            if (cursor.Current.IsIdentifierLike)
            {
                indexName = cursor.Advance().Value;
            }

            cursor.ExpectPunctuation('(');
            var columns = new List<string>();
            do
            {
                columns.Add(cursor.ExpectIdentifier("a column name").Value);
            }
            while (cursor.AcceptPunctuation(','));
            cursor.ExpectPunctuation(')');

            // MariaDB names the constraint after the index name when no CONSTRAINT name is given.
            AddForeignKey(table, constraintName ?? indexName ?? string.Empty, columns.ToEquatableList(), start);
        }
        else if (cursor.AcceptWord("check"))
        {
            AddCheck(table, constraintName ?? string.Empty, ReadParenthesizedExpression(), start);
        }
        else
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
            else if (!cursor.IsWord("key") && !cursor.IsWord("index"))
            {
                throw cursor.Error("PRIMARY KEY, UNIQUE, KEY, INDEX, FULLTEXT, SPATIAL, FOREIGN KEY or CHECK");
            }

            if (!cursor.AcceptWord("key"))
            {
                if (kind == IndexKind.Regular)
                {
                    cursor.ExpectWord("index");
                }
                else
                {
                    cursor.AcceptWord("index");
                }
            }

            var method = ReadOptionalIndexNameAndMethod(out var indexName);
            var index = new Index(indexName ?? constraintName ?? string.Empty, kind, ParseKeyParts())
            {
                Method = method,
                Span = cursor.SpanOf(start),
                Annotations = annotations,
            };
            AddIndex(table, ParseIndexOptions(index), start);
        }
    }

    private string? ReadOptionalIndexNameAndMethod(out string? name)
    {
        name = null;
        if (cursor.Current.IsIdentifierLike && !cursor.IsWord("using"))
        {
            name = cursor.Advance().Value;
        }

        return cursor.AcceptWord("using") ? cursor.ExpectIdentifier("BTREE or HASH").Text.ToLowerInvariant() : null;
    }

    private void ParseTableOptions(MySqlTableBuilder table)
    {
        var options = TableOptions.Default;
        var other = new List<ObjectOption>();
        while (true)
        {
            cursor.AcceptPunctuation(',');
            if (cursor.AtEnd || cursor.IsPunctuation(';'))
            {
                break;
            }

            var token = cursor.Current;
            cursor.AcceptWord("default");
            if (AcceptCharsetKeyword())
            {
                options = options with { Charset = ReadCharsetName() };
            }
            else if (cursor.AcceptWord("collate"))
            {
                options = options with { Collation = ReadCharsetName() };
            }
            else if (cursor.AcceptWord("engine") || cursor.AcceptWord("type"))
            {
                cursor.AcceptOperator("=");
                options = options with { Engine = cursor.ExpectIdentifier("an engine name").Value };
            }
            else if (cursor.AcceptWord("row_format"))
            {
                cursor.AcceptOperator("=");
                options = options with { RowFormat = cursor.ExpectIdentifier("a row format").Value.ToUpperInvariant() };
            }
            else if (cursor.AcceptWord("comment"))
            {
                cursor.AcceptOperator("=");
                table.Comment = EmptyToNull(cursor.ExpectKind(TokenKind.String, "a comment string").Value);
            }
            else if (cursor.AcceptWord("auto_increment"))
            {
                // The next id is runtime state, not schema.
                cursor.AcceptOperator("=");
                cursor.ExpectKind(TokenKind.Number, "a number");
            }
            else if (cursor.IsWords("partition", "by"))
            {
                if (table.Partitioning is not null)
                {
                    Duplicate("partitioning of table", table.Name.Name, token, table.Name.Name);
                }

                table.Partitioning = ParsePartitioning();
            }
            else if (cursor.Current.Kind == TokenKind.Word)
            {
                var name = cursor.Advance().Text.ToLowerInvariant();
                if (cursor.Current.IsWord("directory"))
                {
                    name += " " + cursor.Advance().Text.ToLowerInvariant();
                }

                cursor.AcceptOperator("=");
                var value = cursor.Current;
                if (value.Kind is not (TokenKind.Word or TokenKind.Number or TokenKind.String or TokenKind.QuotedIdentifier))
                {
                    throw cursor.Error("a value for table option " + name.ToUpperInvariant());
                }

                cursor.Advance();
                other.Add(new ObjectOption(name, value.Kind == TokenKind.String
                    ? MySqlExpressionNode.Literal.String(value.Value).Text
                    : value.Value.ToUpperInvariant()));
            }
            else
            {
                throw cursor.Error("a table option or ';'");
            }
        }

        table.Options = options with { Other = other.ToEquatableList() };
    }
}
