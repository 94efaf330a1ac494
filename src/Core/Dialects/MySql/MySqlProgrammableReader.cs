using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Dialects.MySql;

/// <summary>
/// Reads a MySQL/MariaDB function, procedure or trigger into its canonical comparison form. The
/// server keeps the parameter list and the body as the client sent them, but the mariadb/mysql
/// client strips comments before sending, so the body is compared as its tokens (comments and
/// whitespace left out, literals exact); the result type is compared as the server prints it
/// (<c>int</c>, <c>decimal(5,2)</c>, without character set), characteristics without their
/// defaults, and the definer not at all (the server fills it in). SHOW CREATE output and the
/// source text give the same form.
/// </summary>
internal sealed class MySqlProgrammableReader
{
    private static readonly Regex IntegerWidth = new(@"^(tinyint|smallint|mediumint|int|bigint)\(\d+\)", RegexOptions.CultureInvariant);

    private readonly TokenCursor cursor;
    private readonly int end;

    private MySqlProgrammableReader(TokenCursor cursor, int end)
    {
        this.cursor = cursor;
        this.end = end;
    }

    /// <summary>Fills the canonical definition of <paramref name="statement"/>; <paramref name="cursor"/> is just after the object's name, <paramref name="end"/> the statement's ';'.</summary>
    public static VerbatimStatement Read(TokenCursor cursor, int end, VerbatimStatement statement)
    {
        var reader = new MySqlProgrammableReader(cursor, end);
        var definition = statement.Kind == "trigger" ? reader.Trigger(statement.Name!) : reader.Routine(statement.Kind, statement.Name!);
        cursor.Position = end;
        return statement with
        {
            Name = statement.Name!.ToLowerInvariant(), ObjectName = statement.Name!.ToLowerInvariant(), Definition = definition, ReadBack = true,
            AfterTables = statement.Kind == "trigger", Shape = statement.Kind,
        };
    }

    private string Routine(string kind, string name)
    {
        var definition = new StringBuilder(kind).Append(' ').Append(name.ToLowerInvariant()).Append('(');
        cursor.ExpectPunctuation('(');
        var from = cursor.Position;
        SkipParentheses();
        definition.Append(Tokens(from, cursor.Position - 1, lower: true)).Append(")\n");
        if (kind == "function")
        {
            cursor.ExpectWord("returns");
            definition.Append("returns ").Append(ReturnType()).Append('\n');
        }

        var deterministic = false;
        var access = "contains sql";
        var security = "definer";
        string? comment = null;
        while (cursor.Position < end)
        {
            if (cursor.AcceptWord("language"))
            {
                cursor.ExpectWord("sql");
            }
            else if (cursor.AcceptWords("not", "deterministic"))
            {
                deterministic = false;
            }
            else if (cursor.AcceptWord("deterministic"))
            {
                deterministic = true;
            }
            else if (cursor.AcceptWords("contains", "sql"))
            {
                access = "contains sql";
            }
            else if (cursor.AcceptWords("no", "sql"))
            {
                access = "no sql";
            }
            else if (cursor.AcceptWords("reads", "sql", "data"))
            {
                access = "reads sql data";
            }
            else if (cursor.AcceptWords("modifies", "sql", "data"))
            {
                access = "modifies sql data";
            }
            else if (cursor.AcceptWords("sql", "security"))
            {
                security = cursor.ExpectIdentifier("DEFINER or INVOKER").Text.ToLowerInvariant();
            }
            else if (cursor.AcceptWord("comment"))
            {
                comment = cursor.ExpectKind(TokenKind.String, "a comment (a string)").Value;
            }
            else
            {
                break;
            }
        }

        if (deterministic)
        {
            definition.Append("deterministic\n");
        }

        definition.Append(access).Append("\nsql security ").Append(security).Append('\n');
        if (comment is not null)
        {
            definition.Append("comment ").Append(comment).Append('\n');
        }

        return definition.Append("body ").Append(Body()).ToString();
    }

    private string Trigger(string name)
    {
        var timing = cursor.ExpectIdentifier("BEFORE or AFTER").Text.ToLowerInvariant();
        var @event = cursor.ExpectIdentifier("INSERT, UPDATE or DELETE").Text.ToLowerInvariant();
        cursor.ExpectWord("on");
        var table = cursor.ExpectIdentifier("a table name").Value;
        if (cursor.IsPunctuation('.'))
        {
            cursor.Advance();
            table = cursor.ExpectIdentifier("a table name").Value;
        }

        cursor.ExpectWords("for", "each", "row");
        if (cursor.AcceptWord("follows") || cursor.AcceptWord("precedes"))
        {
            // The order among triggers of one event is not compared.
            cursor.ExpectIdentifier("a trigger name");
        }

        return "trigger " + name.ToLowerInvariant() + " on " + table + "\n" + timing + " " + @event + "\nbody " + Body();
    }

    /// <summary>The result type as SHOW CREATE FUNCTION prints it: lower case, no integer display width, no character set or collation.</summary>
    private string ReturnType()
    {
        var name = cursor.ExpectIdentifier("a type").Text.ToLowerInvariant();
        if (name == "double")
        {
            cursor.AcceptWord("precision");
        }

        var type = new StringBuilder(name switch
        {
            "integer" => "int",
            "bool" or "boolean" => "tinyint(1)",
            "dec" or "numeric" or "fixed" => "decimal",
            "real" => "double",
            _ => name,
        });
        if (cursor.AcceptPunctuation('('))
        {
            var from = cursor.Position;
            SkipParentheses();
            type.Append('(').Append(Tokens(from, cursor.Position - 1, lower: true).Replace(" ", string.Empty)).Append(')');
        }
        else if (type.ToString() == "decimal")
        {
            type.Append("(10,0)");
        }

        while (cursor.Position < end)
        {
            if (cursor.IsWord("unsigned") || cursor.IsWord("signed") || cursor.IsWord("zerofill"))
            {
                var word = cursor.Advance().Text.ToLowerInvariant();
                if (word != "signed")
                {
                    type.Append(' ').Append(word);
                }
            }
            else if (cursor.AcceptWords("character", "set") || cursor.AcceptWord("charset") || cursor.AcceptWord("collate"))
            {
                cursor.Advance();
            }
            else
            {
                break;
            }
        }

        return IntegerWidth.Replace(type.ToString(), "$1");
    }

    /// <summary>The body as its tokens joined by one space: what the client sends, whatever its comments and line breaks.</summary>
    private string Body() => Tokens(cursor.Position, end, lower: false);

    private string Tokens(int from, int to, bool lower)
    {
        var parts = new List<string>();
        for (var i = from; i < to; i++)
        {
            var token = cursor.TokenAt(i);
            parts.Add(lower && token.Kind == TokenKind.Word ? token.Text.ToLowerInvariant() : token.Text);
        }

        return string.Join(" ", parts);
    }

    /// <summary>From just inside '(' to just past its ')'.</summary>
    private void SkipParentheses()
    {
        var depth = 1;
        while (cursor.Position < end)
        {
            var token = cursor.Advance();
            if (token.IsPunctuation('('))
            {
                depth++;
            }
            else if (token.IsPunctuation(')') && --depth == 0)
            {
                return;
            }
        }

        throw cursor.Error("')'");
    }
}
