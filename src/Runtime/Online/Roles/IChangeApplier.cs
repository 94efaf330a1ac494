using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace SchemaBuild.Runtime.Online.Roles;

/// <summary>
/// Applies captured changes to the shadow. It is given changed keys, not row images: for each key
/// the shadow's row is made equal to the original's current row through the column mapping (or
/// deleted when the original has none). Contract: idempotent and order-free within a batch (a key
/// applied twice, or applied from an older checkpoint, gives the same shadow); one batch is one
/// transaction; <paramref name="writer"/> lets the cutover run the final drain on its locking session.
/// </summary>
internal interface IChangeApplier
{
    /// <summary>Makes the shadow rows of <paramref name="keys"/> equal to the original's; returns rows written or deleted.</summary>
    Task<long> ApplyAsync(IReadOnlyCollection<RowKey> keys, object? writer, CancellationToken cancellationToken);
}
