using System;
using System.Data;
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

    /// <summary>
    /// Begins a transaction on <paramref name="connection"/> (refused when <paramref name="open"/>
    /// is one already), hands it to <paramref name="track"/> so the session's commands join it, runs
    /// <paramref name="work"/>, commits or rolls back, and clears it again.
    /// </summary>
    public static async Task RunNewAsync(DbConnection connection, DbTransaction? open, Action<DbTransaction?> track, Func<CancellationToken, Task> work, CancellationToken cancellationToken, IsolationLevel isolation = IsolationLevel.Unspecified)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(track);
        EnsureNone(open);
        await using var transaction = isolation == IsolationLevel.Unspecified
            ? await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false)
            : await connection.BeginTransactionAsync(isolation, cancellationToken).ConfigureAwait(false);
        track(transaction);
        try
        {
            await RunAsync(transaction, work, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            track(null);
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
