using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace SchemaBuild.Core.Model;

/// <summary>
/// An immutable list with value equality, so that records holding lists compare by content.
/// Core cannot depend on System.Collections.Immutable (it loads inside MSBuild and IDE hosts).
/// </summary>
public sealed class EquatableList<T> : IReadOnlyList<T>, IEquatable<EquatableList<T>>
{
    public static readonly EquatableList<T> Empty = new(Array.Empty<T>());

    private readonly T[] items;

    private EquatableList(T[] items) => this.items = items;

    public static EquatableList<T> Of(IEnumerable<T> items)
    {
        switch (items)
        {
            case EquatableList<T> list:
                // Immutable: a copy would only be garbage.
                return list;
            case ICollection<T> { Count: 0 }:
                return Empty;
        }

        var array = items as T[] ?? items.ToArray();
        return array.Length == 0 ? Empty : new EquatableList<T>(array);
    }

    public static EquatableList<T> Of(params T[] items) => Of((IEnumerable<T>)items);

    public int Count => items.Length;

    public T this[int index] => items[index];

    public EquatableList<T> Add(T item)
    {
        var copy = new T[items.Length + 1];
        Array.Copy(items, copy, items.Length);
        copy[items.Length] = item;
        return new EquatableList<T>(copy);
    }

    public EquatableList<T> SetItem(int index, T item)
    {
        var copy = (T[])items.Clone();
        copy[index] = item;
        return new EquatableList<T>(copy);
    }

    public EquatableList<T> RemoveAt(int index) => Of(items.Where((_, i) => i != index));

    public int IndexOf(Func<T, bool> predicate)
    {
        for (var i = 0; i < items.Length; i++)
        {
            if (predicate(items[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A struct enumerator for <c>foreach</c>: the model's lists are walked millions of times on a large schema, and an enumerator object per walk was a tenth of what loading allocated.</summary>
    public Enumerator GetEnumerator() => new(items);

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => items.GetEnumerator();

    public bool Equals(EquatableList<T>? other)
    {
        if (other is null)
        {
            return false;
        }

        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other.items.Length != items.Length)
        {
            return false;
        }

        var comparer = EqualityComparer<T>.Default;
        for (var i = 0; i < items.Length; i++)
        {
            if (!comparer.Equals(items[i], other.items[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as EquatableList<T>);

    public override int GetHashCode()
    {
        var hash = 17;
        var comparer = EqualityComparer<T>.Default;
        foreach (var item in items)
        {
            hash = unchecked((hash * 31) + (item is null ? 0 : comparer.GetHashCode(item)));
        }

        return hash;
    }

    public override string ToString() => "[" + string.Join(", ", items) + "]";

    public struct Enumerator
    {
        private readonly T[] items;
        private int index;

        internal Enumerator(T[] items)
        {
            this.items = items;
            index = -1;
        }

        public readonly T Current => items[index];

        public bool MoveNext() => ++index < items.Length;
    }
}

/// <summary>Conversions to <see cref="EquatableList{T}"/>.</summary>
public static class EquatableList
{
    public static EquatableList<T> ToEquatableList<T>(this IEnumerable<T> items) => EquatableList<T>.Of(items);
}
