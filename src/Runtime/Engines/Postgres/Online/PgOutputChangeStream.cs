using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Npgsql.Replication;
using Npgsql.Replication.PgOutput;
using Npgsql.Replication.PgOutput.Messages;
using NpgsqlTypes;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Runtime.Engines.Postgres.Online;

/// <summary>
/// The change stream of a ghost copy on PostgreSQL: a pgoutput logical replication slot read
/// through Npgsql's <see cref="LogicalReplicationConnection"/>, decoded into <see cref="PgChange"/>s
/// in commit order. A background reader fills a bounded queue; the consumer applies and then
/// confirms (<see cref="Confirm"/>), which is the only thing that moves the slot's confirmed
/// position, so a killed process replays from what the shadow durably holds.
/// </summary>
internal sealed class PgOutputChangeStream : IAsyncDisposable
{
    private readonly string connectionString;
    private readonly string slot;
    private readonly string publication;
    private Channel<PgChange> queue = NewQueue();
    private LogicalReplicationConnection? connection;
    private CancellationTokenSource? stop;
    private Task? reader;
    private NpgsqlLogSequenceNumber confirmed;
    private Func<CancellationToken, Task<bool>>? slotInUse;

    public PgOutputChangeStream(string connectionString, string slot, string publication)
    {
        this.connectionString = connectionString;
        this.slot = slot;
        this.publication = publication;
    }

    /// <summary>The last position confirmed to the server.</summary>
    public NpgsqlLogSequenceNumber Confirmed => confirmed;

    /// <summary>Starts reading from the slot's confirmed position.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Npgsql's replication connection takes the same connection string; it adds replication=database itself.
        connection = new LogicalReplicationConnection(connectionString)
        {
            WalReceiverStatusInterval = TimeSpan.FromSeconds(1),
        };
        await connection.Open(cancellationToken).ConfigureAwait(false);
        queue = NewQueue();
        stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var options = new PgOutputReplicationOptions(publication, PgOutputProtocolVersion.V1);
        var replication = connection.StartReplication(new PgOutputReplicationSlot(slot), options, stop.Token);
        reader = Task.Run(() => ReadAsync(replication, queue.Writer, stop.Token), CancellationToken.None);
    }

    /// <summary>
    /// Starts, waiting while the slot is still held by the walsender of a process that died
    /// (the server notices the closed connection within seconds).
    /// </summary>
    public async Task StartWhenFreeAsync(Func<CancellationToken, Task<bool>> slotInUse, CancellationToken cancellationToken)
    {
        this.slotInUse = slotInUse;
        for (var attempt = 0; attempt < 300 && await slotInUse(cancellationToken).ConfigureAwait(false); attempt++)
        {
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        await StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Drops what was read but not confirmed and reads again from the slot's confirmed position:
    /// after a cutover transaction that applied changes rolled back.
    /// </summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        await StopAsync().ConfigureAwait(false);

        // The walsender of the closed connection may hold the slot for a moment.
        await StartWhenFreeAsync(slotInUse ?? (_ => Task.FromResult(false)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The next change, waiting at most <paramref name="wait"/>; null when none came.</summary>
    public async Task<PgChange?> NextAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (queue.Reader.TryRead(out var change))
        {
            return change;
        }

        if (wait <= TimeSpan.Zero)
        {
            ThrowIfReaderFailed();
            return null;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            if (await queue.Reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false) && queue.Reader.TryRead(out change))
            {
                return change;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (ChannelClosedException)
        {
        }

        ThrowIfReaderFailed();
        return null;
    }

    /// <summary>Tells the server that everything up to <paramref name="lsn"/> is durably applied: the slot may release that WAL.</summary>
    public async Task ConfirmAsync(NpgsqlLogSequenceNumber lsn, CancellationToken cancellationToken)
    {
        if (connection is null || lsn <= confirmed)
        {
            return;
        }

        confirmed = lsn;
        connection.SetReplicationStatus(lsn);
        await connection.SendStatusUpdate(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private static Channel<PgChange> NewQueue() =>
        Channel.CreateBounded<PgChange>(new BoundedChannelOptions(20_000) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    private void ThrowIfReaderFailed()
    {
        if (reader is { IsFaulted: true } failed)
        {
            throw new InvalidOperationException($"the logical replication stream of slot {slot} stopped: {failed.Exception!.GetBaseException().Message}", failed.Exception!.GetBaseException());
        }
    }

    private async Task StopAsync()
    {
        stop?.Cancel();
        if (reader is not null)
        {
            try
            {
                await reader.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or Npgsql.NpgsqlException or InvalidOperationException or ChannelClosedException)
            {
                // Stopping cancels the read; a broken connection is reported by NextAsync, not here.
            }
        }

        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        stop?.Dispose();
        stop = null;
        reader = null;
        connection = null;
    }

    private static async Task ReadAsync(IAsyncEnumerable<PgOutputReplicationMessage> messages, ChannelWriter<PgChange> writer, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in messages.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var change = message switch
                {
                    InsertMessage m => new PgChange(PgChangeKind.Insert, Name(m.Relation), await RowAsync(m.Relation, m.NewRow, cancellationToken).ConfigureAwait(false), null, m.WalStart),
                    IndexUpdateMessage m => await KeyChangeAsync(m, cancellationToken).ConfigureAwait(false),
                    FullUpdateMessage m => await FullUpdateAsync(m, cancellationToken).ConfigureAwait(false),
                    UpdateMessage m => new PgChange(PgChangeKind.Update, Name(m.Relation), await RowAsync(m.Relation, m.NewRow, cancellationToken).ConfigureAwait(false), null, m.WalStart),
                    KeyDeleteMessage m => new PgChange(PgChangeKind.Delete, Name(m.Relation), await RowAsync(m.Relation, m.Key, cancellationToken).ConfigureAwait(false), null, m.WalStart),
                    FullDeleteMessage m => new PgChange(PgChangeKind.Delete, Name(m.Relation), await RowAsync(m.Relation, m.OldRow, cancellationToken).ConfigureAwait(false), null, m.WalStart),
                    TruncateMessage m => Truncate(m),
                    BeginMessage m => PgChange.BeginOf(m.TransactionXid, m.TransactionFinalLsn),
                    CommitMessage m => PgChange.CommitAt(m.TransactionEndLsn),
                    _ => null,
                };
                if (change is not null)
                {
                    await writer.WriteAsync(change, cancellationToken).ConfigureAwait(false);
                }
            }

            writer.TryComplete();
        }
        catch (Exception ex)
        {
            writer.TryComplete(ex);
            throw;
        }
    }

    private static PgChange? Truncate(TruncateMessage message)
    {
        foreach (var relation in message.Relations)
        {
            return new PgChange(PgChangeKind.Truncate, Name(relation), null, null, message.WalStart);
        }

        return null;
    }

    private static async Task<PgChange> KeyChangeAsync(IndexUpdateMessage message, CancellationToken cancellationToken)
    {
        var oldKey = await RowAsync(message.Relation, message.Key, cancellationToken).ConfigureAwait(false);
        var row = await RowAsync(message.Relation, message.NewRow, cancellationToken).ConfigureAwait(false);
        return new PgChange(PgChangeKind.Update, Name(message.Relation), row, oldKey, message.WalStart);
    }

    private static async Task<PgChange> FullUpdateAsync(FullUpdateMessage message, CancellationToken cancellationToken)
    {
        var old = await RowAsync(message.Relation, message.OldRow, cancellationToken).ConfigureAwait(false);
        var row = await RowAsync(message.Relation, message.NewRow, cancellationToken).ConfigureAwait(false);
        return new PgChange(PgChangeKind.Update, Name(message.Relation), row, old, message.WalStart);
    }

    private static QualifiedName Name(RelationMessage relation) => new(relation.Namespace, relation.RelationName);

    /// <summary>Reads a tuple completely (the values must be consumed before the next message): column name → text value.</summary>
    private static async Task<IReadOnlyDictionary<string, PgValue>> RowAsync(RelationMessage relation, ReplicationTuple tuple, CancellationToken cancellationToken)
    {
        var row = new Dictionary<string, PgValue>(StringComparer.Ordinal);
        var i = 0;
        await foreach (var value in tuple.ConfigureAwait(false))
        {
            var name = relation.Columns[i++].ColumnName;
            if (value.IsDBNull)
            {
                row[name] = PgValue.Null;
            }
            else if (value.IsUnchangedToastedValue)
            {
                row[name] = PgValue.UnchangedToast;
            }
            else
            {
                row[name] = new PgValue(await value.Get<string>(cancellationToken).ConfigureAwait(false), false);
            }
        }

        return row;
    }
}
