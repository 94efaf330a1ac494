using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Online.Roles;
using SchemaBuild.Runtime.Sessions;

namespace SchemaBuild.Runtime.Online;

/// <summary>
/// Makes the shadow rows of changed keys equal to the original's current rows: they are deleted
/// from the shadow, then the original's rows for those keys are copied again through the column
/// mapping. The result only depends on the original's rows, so replaying keys is harmless, the order
/// inside a batch does not matter and values never travel through the client. The engine writes the
/// two statements (<see cref="IKeyRecopySql"/>); this class decides where they run.
/// </summary>
internal sealed class KeyRecopyApplier : IChangeApplier
{
    private readonly IStatementRunner own;
    private readonly IKeyRecopySql sql;

    public KeyRecopyApplier(IStatementRunner own, IKeyRecopySql sql)
    {
        this.own = own;
        this.sql = sql;
    }

    /// <summary>
    /// A <paramref name="writer"/> session (the cutover's, holding the locks) runs both statements as
    /// they are, in whatever it has open; otherwise this applier's own session runs them in one
    /// transaction.
    /// </summary>
    public async Task<long> ApplyAsync(IReadOnlyCollection<RowKey> keys, object? writer, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return 0;
        }

        if (writer is IStatementRunner held)
        {
            return await RecopyAsync(held, keys, writersBlocked: true, cancellationToken).ConfigureAwait(false);
        }

        long rows = 0;
        await own.InTransactionAsync(async ct => rows = await RecopyAsync(own, keys, writersBlocked: false, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return rows;
    }

    private async Task<long> RecopyAsync(IStatementRunner runner, IReadOnlyCollection<RowKey> keys, bool writersBlocked, CancellationToken cancellationToken)
    {
        var parameters = new List<object?>();
        var deleted = await runner.ExecuteAsync(sql.Delete(keys, parameters), parameters, cancellationToken).ConfigureAwait(false);
        parameters = new List<object?>();
        return deleted + await runner.ExecuteAsync(sql.Copy(keys, writersBlocked, parameters), parameters, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>An engine's two statements of <see cref="KeyRecopyApplier"/>, their values added to the parameter list.</summary>
internal interface IKeyRecopySql
{
    /// <summary>Deletes the shadow's rows of <paramref name="keys"/>.</summary>
    string Delete(IReadOnlyCollection<RowKey> keys, List<object?> parameters);

    /// <summary>
    /// Copies the original's rows of <paramref name="keys"/> into the shadow;
    /// <paramref name="writersBlocked"/>: the caller holds the originals locked (no locking read needed).
    /// </summary>
    string Copy(IReadOnlyCollection<RowKey> keys, bool writersBlocked, List<object?> parameters);
}
