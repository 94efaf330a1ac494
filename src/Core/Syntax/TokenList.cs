using System;
using System.Collections;
using System.Collections.Generic;

namespace SchemaBuild.Core.Syntax;

/// <summary>
/// The lexers' token store: fixed-size blocks instead of one array. A large schema has some
/// 200,000 tokens; as one array that is a multi-megabyte large-object-heap allocation per lex,
/// and each such allocation pushes the GC towards a full collection. Blocks stay small.
/// </summary>
internal sealed class TokenList : IReadOnlyList<Token>
{
    // 1,024 tokens of 32 bytes: 32 KB a block, below the 85,000-byte large-object threshold.
    private const int BlockShift = 10;
    private const int BlockSize = 1 << BlockShift;
    private const int BlockMask = BlockSize - 1;

    private readonly List<Token[]> blocks = new();
    private readonly int firstBlockSize;

    /// <param name="sourceLength">Sizes the first block (about one token per five characters), so a one-line expression takes little.</param>
    public TokenList(int sourceLength) => firstBlockSize = Math.Min(BlockSize, (sourceLength / 5) + 16);

    public int Count { get; private set; }

    public Token this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index));
            }

            return blocks[index >> BlockShift][index & BlockMask];
        }
    }

    public void Add(Token token)
    {
        var block = Count >> BlockShift;
        var offset = Count & BlockMask;
        if (block == blocks.Count)
        {
            blocks.Add(new Token[block == 0 ? firstBlockSize : BlockSize]);
        }
        else if (offset == blocks[block].Length)
        {
            // Only the first block starts short; it grows up to the full block size.
            var larger = new Token[Math.Min(BlockSize, offset * 2)];
            Array.Copy(blocks[block], larger, offset);
            blocks[block] = larger;
        }

        blocks[block][offset] = token;
        Count++;
    }

    public IEnumerator<Token> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
