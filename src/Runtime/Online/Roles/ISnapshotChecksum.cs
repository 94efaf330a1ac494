using System;
using System.Threading;
using System.Threading.Tasks;

namespace SchemaBuild.Runtime.Online.Roles;

/// <summary>
/// A checksum that compares every chunk in one snapshot taken at a point where the shadow is known
/// to hold every change: writers are blocked for a moment, <paramref name="drain"/> applies what is
/// pending, the snapshot is taken, writers go on. Compared chunk by chunk without it, a chunk differs
/// whenever a write lands between the last drain and its snapshot, which under steady load is most
/// chunks. While the snapshot is open, <see cref="IChecksum.CompareNextAsync"/> reads in it.
/// </summary>
internal interface ISnapshotChecksum
{
    /// <summary>Opens the snapshot; false when the lock was not granted within <paramref name="lockWait"/> (the caller compares chunk by chunk).</summary>
    Task<bool> BeginSnapshotAsync(TimeSpan lockWait, Func<object, CancellationToken, Task> drain, CancellationToken cancellationToken);

    /// <summary>Closes the snapshot.</summary>
    Task EndSnapshotAsync(CancellationToken cancellationToken);
}
