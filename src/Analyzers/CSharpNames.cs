using System.Collections.Generic;
using System.Text;

namespace SchemaBuild.Analyzers;

/// <summary>Turns SQL identifiers (<c>order_lines</c>, <c>created-at</c>, <c>2fa</c>) into C# member names (<c>OrderLines</c>, <c>CreatedAt</c>, <c>_2fa</c>).</summary>
public static class CSharpNames
{
    public static string ToPascal(string sqlName)
    {
        var result = new StringBuilder(sqlName.Length);
        var upperNext = true;
        foreach (var c in sqlName)
        {
            if (!char.IsLetterOrDigit(c))
            {
                upperNext = true;
                continue;
            }

            result.Append(upperNext ? char.ToUpperInvariant(c) : c);
            upperNext = false;
        }

        if (result.Length == 0 || char.IsDigit(result[0]))
        {
            result.Insert(0, '_');
        }

        return result.ToString();
    }

    /// <summary>
    /// <paramref name="candidate"/>, or with <paramref name="suffix"/> and then a number appended,
    /// whichever is not yet in <paramref name="taken"/>; the result is added to it.
    /// </summary>
    public static string Unique(string candidate, string suffix, ISet<string> taken)
    {
        var name = taken.Contains(candidate) ? candidate + suffix : candidate;
        for (var n = 2; taken.Contains(name); n++)
        {
            name = candidate + suffix + n;
        }

        taken.Add(name);
        return name;
    }

    /// <summary>Text for an XML doc comment.</summary>
    public static string XmlEscape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\r", " ").Replace("\n", " ");

    /// <summary>A C# string literal.</summary>
    public static string Literal(string text) =>
        "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\r", "\\r").Replace("\n", "\\n") + "\"";
}
