using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace SchemaBuild.Runtime.Online.Roles;

/// <summary>
/// A copier whose chunks read a snapshot without locking the original's rows, so writers never wait
/// for a chunk. A change the stream delivered can belong to a transaction that is written to the
/// change log but not yet visible to a new snapshot; skipped because its key is above the watermark,
/// the next chunk could then copy the row as it was before. So for every change skipped that way
/// the copier first waits until its writer committed.
/// </summary>
internal interface ISnapshotRowCopier
{
    /// <summary>Returns once every transaction holding a write lock on one of <paramref name="keys"/> has ended (nothing is copied).</summary>
    Task AwaitWritersAsync(IReadOnlyCollection<RowKey> keys, CancellationToken cancellationToken);
}
