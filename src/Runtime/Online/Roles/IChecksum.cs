using System;
using System.Threading;
using System.Threading.Tasks;

namespace SchemaBuild.Runtime.Online.Roles;

/// <summary>
/// Compares original and shadow chunk by chunk over the copy key: a CRC aggregate of the mapped
/// columns, both sides read in one consistent snapshot. The caller drains the stream into the shadow
/// just before each chunk, so a difference means a lost change (or one committed in that instant:
/// the caller checks a mismatching chunk again and copies it again before giving up).
/// </summary>
internal interface IChecksum
{
    /// <summary>Compares up to <paramref name="rows"/> rows with keys above <paramref name="after"/>. Null when no row is left.</summary>
    Task<ChecksumChunk?> CompareNextAsync(RowKey? after, int rows, CancellationToken cancellationToken);

    /// <summary>
    /// Compares again, lock-free, the chunk that ended at <paramref name="upTo"/> after <paramref name="after"/>
    /// (<paramref name="rows"/> rows when it was compared). An engine that can select a closed key range
    /// compares exactly (<c>after &lt; key &lt;= upTo</c>): rows deleted or inserted meanwhile do not move its
    /// end. This fallback compares the same count of rows again; a deleted row moves that range's end
    /// further, which is accepted only when the end is known to lie beyond <paramref name="upTo"/> (integer keys).
    /// </summary>
    async Task<bool> CompareAgainAsync(RowKey? after, RowKey upTo, long rows, CancellationToken cancellationToken)
    {
        var again = await CompareNextAsync(after, (int)Math.Max(1, rows), cancellationToken).ConfigureAwait(false);
        return again is not null && again.Matches && (again.Last.Equals(upTo) || RowKey.CompareIntegers(again.Last, upTo) > 0);
    }

    /// <summary>
    /// Compares the rows with keys in (<paramref name="after"/>, <paramref name="upTo"/>] exactly: writers
    /// to the original are blocked (at most <paramref name="lockWait"/> to get the lock), <paramref name="drain"/>
    /// applies every change committed before on the session it is given, then both sides are compared.
    /// For a chunk that keeps differing lock-free because it is written all the time (a hot tail).
    /// </summary>
    Task<bool> CompareLockedAsync(RowKey? after, RowKey upTo, TimeSpan lockWait, Func<object, CancellationToken, Task> drain, CancellationToken cancellationToken);
}

/// <summary>One compared chunk: its last key, rows, and whether both sides matched.</summary>
internal sealed record ChecksumChunk(RowKey Last, long Rows, bool Matches);
