using System;
using System.Data.Common;
using System.Threading;
using System.Threading.Tasks;

namespace SchemaBuild.Runtime.Sessions;

/// <summary>The commit-or-roll-back of <see cref="IDatabaseSession.InTransactionAsync"/>, the same for every driver.</summary>
internal static class SessionTransaction
{
    public static void EnsureNone(DbTransaction? open)
    {
        if (open is not null)
        {
            throw new InvalidOperationException("a transaction is already open on this session");
        }
    }

    public static async Task RunAsync(DbTransaction transaction, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            await work(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            try
            {
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidOperationException or DbException)
            {
                // The connection is gone: the server rolled back with it.
            }

            throw;
        }
    }
}
