using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace SchemaBuild.Runtime.Online.Roles;

/// <summary>
/// A copier whose chunks read a snapshot without locking the original's rows, so writers never wait
/// for a chunk. A change the stream delivered can belong to a transaction that is written to the
/// change log but not yet visible to a new snapshot; skipped because its key is above the watermark,
/// a later chunk could then copy the row as it was before. So the copier is told the keys skipped
/// that way, and before it reads a chunk holding one of them it waits until that key's writer committed.
/// </summary>
internal interface ISnapshotRowCopier
{
    /// <summary>
    /// Keys whose changes were skipped above the watermark. Usually no statement runs now; a copier may wait for
    /// their writers at once rather than hold an unbounded number of keys (a long throttle pause on a hot table).
    /// </summary>
    Task SkippedAsync(IReadOnlyCollection<RowKey> keys, CancellationToken cancellationToken);
}
