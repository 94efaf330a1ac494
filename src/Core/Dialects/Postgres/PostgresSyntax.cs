using System.Collections.Generic;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Dialects.Postgres;

/// <summary>
/// Identifier and type-name reading shared by the statement, expression and query parsers:
/// bare words fold to lower case (as the server folds them), quoted identifiers keep their case.
/// </summary>
internal static class PostgresSyntax
{
    private static readonly HashSet<string> IntervalFields = new() { "year", "month", "day", "hour", "minute", "second" };

    /// <summary>Words that end a type name where a column definition goes on (so <c>text NOT NULL</c> is not a type "text not").</summary>
    private static readonly HashSet<string> CharacterTypes = new() { "character", "char", "varchar", "nchar", "bpchar", "bit", "varbit", "character varying", "bit varying", "national character", "national character varying" };

    /// <summary>The identifier a token names: bare words folded to lower case, and cut to 63 bytes as the server cuts them.</summary>
    public static string Identifier(Token token) =>
        PostgresNames.Clip(token.Kind == TokenKind.QuotedIdentifier ? token.Value : token.Text.ToLowerInvariant(), 63);

    public static string ExpectIdentifier(TokenCursor cursor, string what) => Identifier(cursor.ExpectIdentifier(what));

    /// <summary><c>name</c> or <c>schema.name</c> (a third part, the database, is accepted and dropped).</summary>
    public static QualifiedName QualifiedName(TokenCursor cursor, string what)
    {
        var first = ExpectIdentifier(cursor, what);
        if (!cursor.IsPunctuation('.'))
        {
            return new QualifiedName(null, first);
        }

        cursor.Advance();
        var second = ExpectIdentifier(cursor, what);
        if (!cursor.IsPunctuation('.'))
        {
            return new QualifiedName(first, second);
        }

        cursor.Advance();
        return new QualifiedName(second, ExpectIdentifier(cursor, what));
    }

    /// <summary>
    /// A type name as written: multi-word names joined by one space and lower-cased (<c>double precision</c>,
    /// <c>timestamp with time zone</c>), modifiers as length or precision/scale, array brackets counted.
    /// Synonyms are left for the normalizer.
    /// </summary>
    public static DataType DataType(TokenCursor cursor)
    {
        var name = QualifiedName(cursor, "a type name");
        var schema = name.Schema;
        var word = name.Name;
        var quoted = cursor.Previous.Kind == TokenKind.QuotedIdentifier;
        if (schema is null && !quoted)
        {
            word = MultiWord(cursor, word);
        }

        var type = new DataType(word) { TypeSchema = schema };
        if (cursor.IsPunctuation('(') && !(word == "interval" && cursor.Peek().Kind != TokenKind.Number))
        {
            cursor.Advance();
            var first = ExpectInt(cursor);
            int? second = null;
            if (cursor.AcceptPunctuation(','))
            {
                second = ExpectInt(cursor);
            }

            cursor.ExpectPunctuation(')');
            type = CharacterTypes.Contains(word) ? type with { Length = first } : type with { Precision = first, Scale = second };
        }

        if (word is "timestamp" or "time" && schema is null && !quoted)
        {
            if (cursor.AcceptWords("with", "time", "zone"))
            {
                type = type with { Name = word + " with time zone" };
            }
            else if (cursor.AcceptWords("without", "time", "zone"))
            {
                type = type with { Name = word + " without time zone" };
            }
        }

        if (word == "interval" && schema is null && !quoted)
        {
            type = IntervalQualifier(cursor, type);
        }

        var dimensions = 0;
        while (true)
        {
            if (cursor.IsPunctuation('['))
            {
                cursor.Advance();
                if (cursor.Current.Kind == TokenKind.Number)
                {
                    cursor.Advance();
                }

                cursor.ExpectPunctuation(']');
                dimensions++;
            }
            else if (cursor.IsWord("array"))
            {
                cursor.Advance();
                if (cursor.AcceptPunctuation('['))
                {
                    if (cursor.Current.Kind == TokenKind.Number)
                    {
                        cursor.Advance();
                    }

                    cursor.ExpectPunctuation(']');
                }

                dimensions++;
            }
            else
            {
                break;
            }
        }

        return dimensions == 0 ? type : type with { ArrayDimensions = dimensions };
    }

    private static string MultiWord(TokenCursor cursor, string word)
    {
        switch (word)
        {
            case "double" when cursor.AcceptWord("precision"):
                return "double precision";
            case "character" or "char" when cursor.AcceptWord("varying"):
                return "character varying";
            case "bit" when cursor.AcceptWord("varying"):
                return "bit varying";
            case "national" when cursor.AcceptWord("character") || cursor.AcceptWord("char"):
                return cursor.AcceptWord("varying") ? "character varying" : "character";
            case "nchar":
                return cursor.AcceptWord("varying") ? "character varying" : "character";
            default:
                return word;
        }
    }

    private static DataType IntervalQualifier(TokenCursor cursor, DataType type)
    {
        string? fields = null;
        if (cursor.Current.Kind == TokenKind.Word && IntervalFields.Contains(cursor.Current.Text.ToLowerInvariant()))
        {
            fields = cursor.Advance().Text.ToLowerInvariant();
            if (cursor.AcceptWord("to"))
            {
                var to = cursor.Current;
                if (to.Kind != TokenKind.Word || !IntervalFields.Contains(to.Text.ToLowerInvariant()))
                {
                    throw cursor.Error("an interval field (YEAR, MONTH, DAY, HOUR, MINUTE, SECOND)");
                }

                cursor.Advance();
                fields += " to " + to.Text.ToLowerInvariant();
            }
        }

        if (cursor.AcceptPunctuation('('))
        {
            type = type with { Precision = ExpectInt(cursor) };
            cursor.ExpectPunctuation(')');
        }

        return fields is null ? type : type with { Qualifier = fields };
    }

    public static int ExpectInt(TokenCursor cursor)
    {
        var token = cursor.ExpectKind(TokenKind.Number, "a number");
        if (!int.TryParse(token.Text, out var value))
        {
            throw cursor.ErrorAt(token, "expected an integer, found " + token.Describe());
        }

        return value;
    }

    /// <summary>A possibly negative integer (sequence options).</summary>
    public static long ExpectLong(TokenCursor cursor)
    {
        var negative = false;
        if (cursor.Current.IsOperator("-") || cursor.Current.IsOperator("+"))
        {
            negative = cursor.Advance().Text == "-";
        }

        var token = cursor.ExpectKind(TokenKind.Number, "a number");
        if (!long.TryParse((negative ? "-" : string.Empty) + token.Text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            throw cursor.ErrorAt(token, "expected a 64-bit integer, found " + token.Describe());
        }

        return value;
    }
}
