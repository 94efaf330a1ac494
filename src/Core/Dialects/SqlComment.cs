using System.Text;

namespace SchemaBuild.Core.Dialects;

/// <summary>
/// The <c>--</c> line comment both dialects share. A line comment ends at a line break, so every
/// character a server, a command-line client (psql, mariadb) or an editor treats as one becomes a
/// space; other control characters too, and <c>*/</c> is broken up so the text cannot close a
/// surrounding block comment either.
/// </summary>
internal static class SqlComment
{
    public static string Line(string text)
    {
        var output = new StringBuilder(text.Length + 3).Append("-- ");
        foreach (var c in text)
        {
            output.Append(char.IsControl(c) || c == '\u2028' || c == '\u2029' ? ' ' : c);
        }

        return output.Replace("*/", "* /").ToString();
    }
}
