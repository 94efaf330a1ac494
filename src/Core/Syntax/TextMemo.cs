using System;
using System.Collections.Generic;

namespace SchemaBuild.Core.Syntax;

/// <summary>
/// Remembers the result of a pure function for the length of one parser or normalizer run. The same
/// defaults, checks, key expressions and data types recur across a schema's tables; each distinct
/// value is worked out once, and every table gets the same result object (one to keep, not one per
/// column). Local to a run, so concurrent runs share nothing.
/// </summary>
internal class Memo<TKey, TValue>
    where TKey : notnull
{
    private readonly Func<TKey, TValue> compute;
    private readonly Dictionary<TKey, TValue> results;

    public Memo(Func<TKey, TValue> compute, IEqualityComparer<TKey>? comparer = null)
    {
        this.compute = compute;
        results = new Dictionary<TKey, TValue>(comparer ?? EqualityComparer<TKey>.Default);
    }

    public TValue Get(TKey key)
    {
        if (!results.TryGetValue(key, out var result))
        {
            result = compute(key);
            results.Add(key, result);
        }

        return result;
    }
}

/// <summary>A <see cref="Memo{TKey, TValue}"/> of a text, compared ordinally.</summary>
internal sealed class TextMemo<T> : Memo<string, T>
{
    public TextMemo(Func<string, T> compute)
        : base(compute, StringComparer.Ordinal)
    {
    }
}

/// <summary>One instance per distinct value (by value equality) for the length of a run: the first one seen.</summary>
internal sealed class Interner<T> : Memo<T, T>
    where T : class
{
    public Interner()
        : base(value => value)
    {
    }
}
