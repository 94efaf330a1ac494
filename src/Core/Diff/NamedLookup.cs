using System;
using System.Collections.Generic;

namespace SchemaBuild.Core.Diff;

/// <summary>Builds a name lookup that tolerates duplicate names (already reported as SB0003): the first wins.</summary>
internal static class NamedLookup
{
    public static Dictionary<string, T> Create<T>(IEnumerable<T> items, Func<T, string> key, StringComparer comparer)
    {
        var lookup = new Dictionary<string, T>(comparer);
        foreach (var item in items)
        {
            var name = key(item);
            if (!lookup.ContainsKey(name))
            {
                lookup.Add(name, item);
            }
        }

        return lookup;
    }
}
