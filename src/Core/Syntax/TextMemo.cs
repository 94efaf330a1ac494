using System;
using System.Collections.Generic;

namespace SchemaBuild.Core.Syntax;

/// <summary>
/// Remembers the result of a pure function of a text for the length of one normalizer run. The
/// same defaults, checks and key expressions recur across a schema's tables; each distinct text is
/// lexed, parsed and printed once. Local to a run, so concurrent runs share nothing.
/// </summary>
internal sealed class TextMemo<T>
{
    private readonly Func<string, T> compute;
    private readonly Dictionary<string, T> results = new(StringComparer.Ordinal);

    public TextMemo(Func<string, T> compute) => this.compute = compute;

    public T Get(string text)
    {
        if (!results.TryGetValue(text, out var result))
        {
            result = compute(text);
            results.Add(text, result);
        }

        return result;
    }
}
