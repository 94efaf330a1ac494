using System;
using System.Collections.Generic;
using System.Linq;

namespace SchemaBuild.Core.Model;

/// <summary>
/// Orders named items so that each comes after the items it depends on (tables after the tables
/// they reference, views after their sources). Dependencies on names outside the list are ignored.
/// Iterative, so a 10,000-table chain cannot overflow the stack.
/// </summary>
public static class DependencyOrder
{
    /// <param name="onCycle">Called with the names of a cycle (first name repeated at the end); when absent, a cycle keeps input order.</param>
    public static List<T> Sort<T>(IEnumerable<T> items, Func<T, string> name, Func<T, IEnumerable<string>> dependsOn, Action<IReadOnlyList<string>>? onCycle = null)
    {
        var list = items.ToList();
        var byName = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in list)
        {
            byName[name(item)] = item;
        }

        var result = new List<T>(list.Count);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var onPath = new HashSet<string>(StringComparer.Ordinal);
        foreach (var root in list)
        {
            var rootName = name(root);
            if (done.Contains(rootName))
            {
                continue;
            }

            // Each frame: the item's name and the dependencies still to visit.
            var stack = new Stack<(string Name, IEnumerator<string> Pending)>();
            stack.Push((rootName, Dependencies(root)));
            onPath.Add(rootName);
            while (stack.Count > 0)
            {
                var (current, pending) = stack.Peek();
                if (pending.MoveNext())
                {
                    var next = pending.Current;
                    if (done.Contains(next))
                    {
                        continue;
                    }

                    if (onPath.Contains(next))
                    {
                        onCycle?.Invoke(stack.Select(f => f.Name).Reverse().SkipWhile(n => n != next).Concat(new[] { next }).ToList());
                        continue;
                    }

                    onPath.Add(next);
                    stack.Push((next, Dependencies(byName[next])));
                    continue;
                }

                stack.Pop();
                onPath.Remove(current);
                done.Add(current);
                result.Add(byName[current]);
            }
        }

        return result;

        IEnumerator<string> Dependencies(T item)
        {
            var own = name(item);
            return dependsOn(item).Where(d => d != own && byName.ContainsKey(d)).ToList().GetEnumerator();
        }
    }
}
