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
}

/// <summary>One compared chunk: its last key, rows, and whether both sides matched.</summary>
internal sealed record ChecksumChunk(RowKey Last, long Rows, bool Matches);
