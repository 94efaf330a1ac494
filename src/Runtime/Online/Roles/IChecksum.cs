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
    /// Compares again, lock-free and in a fresh snapshot, exactly the closed key range
    /// <c>after &lt; key &lt;= upTo</c> of a chunk that differed: rows deleted or inserted since do not move
    /// its end, whatever the key's type (the server orders it).
    /// </summary>
    Task<bool> CompareAgainAsync(RowKey? after, RowKey upTo, CancellationToken cancellationToken);

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
