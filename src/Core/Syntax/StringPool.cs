namespace SchemaBuild.Core.Syntax;

/// <summary>
/// Hands out one string per distinct run of source text. Schema SQL repeats the same keywords,
/// punctuation and names thousands of times; sharing them keeps lexing a large schema from
/// allocating (and the GC from tracing) a string per token. One pool per lexer run, not shared.
/// </summary>
internal sealed class StringPool
{
    // Long runs (comments, big literals) rarely repeat; hashing them would only cost time.
    private const int MaxPooledLength = 64;

    private string?[] slots;
    private int count;

    /// <param name="sourceLength">Sizes the table: small for a one-line expression, larger for a file.</param>
    public StringPool(int sourceLength)
    {
        var size = 16;
        while (size < 4096 && size < sourceLength / 16)
        {
            size *= 2;
        }

        slots = new string?[size];
    }

    public string Get(string source, int start, int length)
    {
        if (length == 0)
        {
            return string.Empty;
        }

        if (length > MaxPooledLength)
        {
            return source.Substring(start, length);
        }

        var mask = slots.Length - 1;
        for (var slot = Hash(source, start, length) & mask; ; slot = (slot + 1) & mask)
        {
            var existing = slots[slot];
            if (existing is null)
            {
                var value = source.Substring(start, length);
                slots[slot] = value;
                if (++count * 2 > slots.Length)
                {
                    Grow();
                }

                return value;
            }

            if (existing.Length == length && string.CompareOrdinal(existing, 0, source, start, length) == 0)
            {
                return existing;
            }
        }
    }

    private static int Hash(string source, int start, int length)
    {
        var hash = 0;
        for (var i = start; i < start + length; i++)
        {
            hash = unchecked((hash * 31) + source[i]);
        }

        return hash & int.MaxValue;
    }

    private void Grow()
    {
        var old = slots;
        slots = new string?[old.Length * 2];
        var mask = slots.Length - 1;
        foreach (var value in old)
        {
            if (value is null)
            {
                continue;
            }

            var slot = Hash(value, 0, value.Length) & mask;
            while (slots[slot] is not null)
            {
                slot = (slot + 1) & mask;
            }

            slots[slot] = value;
        }
    }
}
