using System.Collections.Generic;

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
    /// <summary>Keys whose changes were skipped above the watermark (no statement runs now).</summary>
    void Skipped(IEnumerable<RowKey> keys);
}
