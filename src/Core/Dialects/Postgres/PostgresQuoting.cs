using System.Collections.Generic;
using System.Text;

namespace SchemaBuild.Core.Dialects.Postgres;

/// <summary>
/// Identifier and literal quoting as the server's own <c>quote_ident</c>/<c>quote_literal</c> do it:
/// an identifier is quoted only when it is not a plain lower-case word or is a keyword the grammar reserves.
/// </summary>
internal static class PostgresQuoting
{
    /// <summary>Reserved, type/function-name and column-name keywords: everything but the unreserved ones.</summary>
    private static readonly HashSet<string> Keywords = new(
        ("all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create "
        + "current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc "
        + "distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral "
        + "leading limit localtime localtimestamp not null offset on only or order placing primary references returning "
        + "select session_user some symmetric table then to trailing true union unique user using variadic when where window with "
        + "authorization binary collation concurrently cross current_schema freeze full ilike inner is isnull join left like "
        + "natural notnull outer overlaps right similar tablesample verbose "
        + "between bigint bit boolean char character coalesce dec decimal exists extract float greatest grouping inout int integer "
        + "interval least national nchar none normalize nullif numeric out overlay position precision real row setof smallint "
        + "substring time timestamp treat trim values varchar xmlattributes xmlconcat xmlelement xmlexists xmlforest "
        + "xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable").Split(' '));

    public static bool NeedsQuotes(string name)
    {
        if (name.Length == 0 || Keywords.Contains(name))
        {
            return true;
        }

        if (!(name[0] == '_' || (name[0] >= 'a' && name[0] <= 'z')))
        {
            return true;
        }

        foreach (var c in name)
        {
            if (!(c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            {
                return true;
            }
        }

        return false;
    }

    public static string Identifier(string name) => NeedsQuotes(name) ? "\"" + name.Replace("\"", "\"\"") + "\"" : name;

    /// <summary>
    /// A string literal under <c>standard_conforming_strings</c>: quotes doubled; control characters
    /// (which a plain literal cannot show legibly) switch to an <c>E''</c> literal with backslash escapes.
    /// </summary>
    public static string Literal(string value)
    {
        var needsEscape = false;
        foreach (var c in value)
        {
            if (c < ' ')
            {
                needsEscape = true;
                break;
            }
        }

        if (!needsEscape)
        {
            return "'" + value.Replace("'", "''") + "'";
        }

        var builder = new StringBuilder("E'");
        foreach (var c in value)
        {
            switch (c)
            {
                case '\'': builder.Append("''"); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c < ' ')
                    {
                        builder.Append("\\x").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('\'').ToString();
    }
}
