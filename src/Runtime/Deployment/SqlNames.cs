using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace SchemaBuild.Runtime.Deployment;

/// <summary>
/// The names a piece of SQL text mentions, for <see cref="GatedOrder"/>'s conservative relations: bare words, and
/// identifiers quoted with <c>"</c> or <c>`</c> read whole (<c>"order items"</c> is one name, not two). Words inside
/// string literals count too (<c>nextval('items_id_seq')</c> names the sequence). Not a parser: a word that only
/// looks like a name at worst keeps two steps in plan order.
/// </summary>
internal static class SqlNames
{
    private static readonly Regex Name = new(@"""(?<q>(?:[^""]|"""")+)""|`(?<b>(?:[^`]|``)+)`|(?<w>[\p{L}_][\p{L}\p{N}_$]*)", RegexOptions.CultureInvariant);

    /// <summary>Every name in <paramref name="sql"/>, in order, quotes removed (a doubled quote inside stands for one).</summary>
    public static IReadOnlyList<string> Words(string sql)
    {
        var words = new List<string>();
        foreach (Match match in Name.Matches(sql))
        {
            words.Add(match.Groups["q"].Success ? match.Groups["q"].Value.Replace("\"\"", "\"")
                : match.Groups["b"].Success ? match.Groups["b"].Value.Replace("``", "`")
                : match.Groups["w"].Value);
        }

        return words;
    }
}
