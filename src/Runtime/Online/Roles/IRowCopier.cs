using System.Threading;
using System.Threading.Tasks;

namespace SchemaBuild.Runtime.Online.Roles;

/// <summary>
/// Copies rows of the original into the shadow in key order, one chunk per call, server-side, through
/// the column mapping. Contract: idempotent (rows already in the shadow are left as they are, so a
/// resume may copy a chunk again); a chunk is committed when the call returns, so its last key may be
/// checkpointed as the watermark.
/// </summary>
internal interface IRowCopier
{
    /// <summary>The engine's row estimate for the original (statistics; not exact).</summary>
    Task<long> EstimateRowsAsync(CancellationToken cancellationToken);

    /// <summary>Copies up to <paramref name="rows"/> rows with keys above <paramref name="after"/> (null: from the start). Null when no row is left.</summary>
    Task<CopiedChunk?> CopyNextAsync(RowKey? after, int rows, CancellationToken cancellationToken);

    /// <summary>Copies again, overwriting, the rows with keys in (<paramref name="after"/>, <paramref name="upTo"/>]: repairs a chunk the checksum found different.</summary>
    Task<long> RecopyAsync(RowKey? after, RowKey upTo, CancellationToken cancellationToken);
}

/// <summary>A committed chunk: its last key (the new watermark) and rows copied.</summary>
internal sealed record CopiedChunk(RowKey Last, long Rows);
