using System;
using System.Collections.Generic;

namespace SchemaBuild.Core.Syntax;

/// <summary>
/// A list in insertion order with a lookup by key, for builders that find and replace objects by
/// name while parsing: constant-time finds keep a 10,000-table schema linear.
/// </summary>
internal sealed class KeyedList<T>
    where T : class
{
    private readonly List<T> items = new();
    private readonly Dictionary<string, int> positions;
    private readonly Func<T, string> key;

    public KeyedList(Func<T, string> key, StringComparer? comparer = null)
    {
        this.key = key;
        positions = new Dictionary<string, int>(comparer ?? StringComparer.Ordinal);
    }

    public IReadOnlyList<T> Items => items;

    /// <summary>Adds the item unless its key is taken; returns the item already there, or null when added.</summary>
    public T? AddOrGetExisting(T item)
    {
        var name = key(item);
        if (positions.TryGetValue(name, out var position))
        {
            return items[position];
        }

        positions[name] = items.Count;
        items.Add(item);
        return null;
    }

    public T? Find(string name) => positions.TryGetValue(name, out var position) ? items[position] : null;

    /// <summary>Replaces the item with this key; false when there is none.</summary>
    public bool Update(string name, Func<T, T> change)
    {
        if (!positions.TryGetValue(name, out var position))
        {
            return false;
        }

        items[position] = change(items[position]);
        return true;
    }

    /// <summary>The first item matching a predicate, replaced (a scan, for lookups not by key).</summary>
    public bool UpdateFirst(Func<T, bool> match, Func<T, T> change)
    {
        var position = items.FindIndex(x => match(x));
        if (position < 0)
        {
            return false;
        }

        items[position] = change(items[position]);
        return true;
    }
}
