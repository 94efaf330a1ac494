using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using SchemaBuild.MySqlReplication;
using SchemaBuild.MySqlReplication.Binlog;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Engines.MySql.Online;

/// <summary>
/// Reads the binlog (row events) from a file position and delivers the changed keys of the original
/// tables, one committed transaction at a time, with the position after its commit event. Marker
/// rows of the changelog tables come through the same way. Positions are <c>file:offset</c>.
/// </summary>
internal sealed class BinlogChangeStream : IChangeStream
{
    private readonly MySqlSession session;
    private readonly MySqlConnectionOptions connection;
    private readonly string database;
    private readonly Dictionary<string, int[]> keyOrdinals;
    private readonly HashSet<string> changelogs;
    private readonly Channel<Transaction> committed = Channel.CreateUnbounded<Transaction>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource stop = new();
    private BinlogClient? client;
    private Task? reader;
    private volatile string? lastBoundary;
    private long lastEventTicks;
    private int backlog;
    private Exception? failure;

    public BinlogChangeStream(MySqlSession session, MySqlConnectionOptions connection, IReadOnlyDictionary<string, int[]> keyOrdinals, IEnumerable<string> changelogs)
    {
        this.session = session;
        this.connection = connection;
        database = session.DatabaseName;
        this.keyOrdinals = new Dictionary<string, int[]>(keyOrdinals, StringComparer.Ordinal);
        this.changelogs = new HashSet<string>(changelogs, StringComparer.Ordinal);
    }

    public TimeSpan Lag => Volatile.Read(ref backlog) == 0 ? TimeSpan.Zero : DateTime.UtcNow - new DateTime(Interlocked.Read(ref lastEventTicks), DateTimeKind.Utc);

    public int Backlog => Volatile.Read(ref backlog);

    public async Task<string> CurrentPositionAsync(CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync("SHOW MASTER STATUS", null, cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            throw new GhostCopyRefusedException($"{session.DisplayName} has binary logging off (SHOW MASTER STATUS is empty); a ghost copy reads changes from the binlog. Start the server with --log-bin and binlog_format=ROW.");
        }

        return Format(new BinlogPosition(Convert.ToString(rows[0][0], CultureInfo.InvariantCulture)!, Convert.ToUInt64(rows[0][1], CultureInfo.InvariantCulture)));
    }

    public async Task StartAsync(string position, CancellationToken cancellationToken)
    {
        var start = Parse(position);
        var logs = await session.QueryAsync("SHOW BINARY LOGS", null, cancellationToken).ConfigureAwait(false);
        if (!logs.Any(r => string.Equals(Convert.ToString(r[0], CultureInfo.InvariantCulture), start.FileName, StringComparison.Ordinal)))
        {
            throw new StreamPositionLostException($"the binlog file {start.FileName} of the checkpoint (position {position}) was purged from {session.DisplayName}; the changes made since cannot be read");
        }

        lastBoundary = position;
        var serverId = 0x5B00_0000u + (uint)Random.Shared.Next(1, 0x00FF_FFFF);
        client = new BinlogClient(new BinlogClientOptions(connection, BinlogStartPosition.FromFile(start)) 
        {
            ServerId = serverId, HeartbeatInterval = TimeSpan.FromSeconds(1), ReadTimeout = TimeSpan.FromSeconds(30),
            // Only the originals' and changelogs' rows are read: the copy's own inserts into the shadow are the bulk of the log.
            DecodeRowsOf = (db, table) => db == database && (keyOrdinals.ContainsKey(table) || changelogs.Contains(table)),
        });
        reader = Task.Run(() => ReadLoopAsync(stop.Token), CancellationToken.None);
    }

    public async Task<ChangeBatch> ReadAsync(int maxKeys, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (failure is { } failed)
        {
            throw failed is StreamPositionLostException ? failed : new InvalidOperationException($"the binlog reader stopped: {failed.Message}", failed);
        }

        var snapshot = lastBoundary;
        if (wait > TimeSpan.Zero && !committed.Reader.TryPeek(out _))
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(wait);
            try
            {
                await committed.Reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            snapshot = lastBoundary;
        }

        var keys = new Dictionary<string, HashSet<RowKey>>(StringComparer.Ordinal);
        var markers = new List<Marker>();
        string? position = null;
        var count = 0;
        var events = 0;
        var drained = false;
        while (count < maxKeys)
        {
            if (!committed.Reader.TryRead(out var transaction))
            {
                drained = true;
                break;
            }

            Interlocked.Decrement(ref backlog);
            foreach (var (table, key) in transaction.Keys)
            {
                if (!keys.TryGetValue(table, out var set))
                {
                    keys[table] = set = new HashSet<RowKey>();
                }

                if (set.Add(key))
                {
                    count++;
                }
            }

            markers.AddRange(transaction.Markers);
            events += transaction.Events;
            position = transaction.Position;
        }

        if (drained && snapshot is not null && (position is null || Parse(snapshot).CompareTo(Parse(position)) > 0))
        {
            position = snapshot;
        }

        return new ChangeBatch(keys.ToDictionary(p => p.Key, p => (IReadOnlyCollection<RowKey>)p.Value, StringComparer.Ordinal), markers, position, events);
    }

    public async Task<long> WriteMarkerAsync(GhostCopyTable table, object? writer, CancellationToken cancellationToken)
    {
        var target = writer as MySqlSession ?? session;
        await target.ExecuteAsync($"INSERT INTO {target.Writer.QuoteIdentifier(table.Changelog)} (note) VALUES (?)", new object?[] { "marker" }, cancellationToken).ConfigureAwait(false);
        var id = await target.QueryAsync("SELECT LAST_INSERT_ID()", null, cancellationToken).ConfigureAwait(false);
        return Convert.ToInt64(id[0][0], CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        if (reader is not null)
        {
            try
            {
                await reader.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        if (client is not null)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }

        stop.Dispose();
    }

    public int ComparePositions(string a, string b) => Parse(a).CompareTo(Parse(b));

    internal static string Format(BinlogPosition position) => position.ToString();

    internal static BinlogPosition Parse(string position)
    {
        var colon = position.LastIndexOf(':');
        if (colon <= 0 || !ulong.TryParse(position.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            throw new FormatException($"'{position}' is not a binlog position (file:offset)");
        }

        return new BinlogPosition(position.Substring(0, colon), offset);
    }

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        var keys = new List<(string, RowKey)>();
        var markers = new List<Marker>();
        var events = 0;
        try
        {
            await foreach (var ev in client!.ReadEventsAsync(cancellationToken).ConfigureAwait(false))
            {
                if (ev.Header.Timestamp > 0 && ev is not HeartbeatEvent)
                {
                    Interlocked.Exchange(ref lastEventTicks, DateTimeOffset.FromUnixTimeSeconds(ev.Header.Timestamp).UtcTicks);
                }

                switch (ev)
                {
                    case RowsEvent rows when rows.Table.Database == database:
                        if (keyOrdinals.TryGetValue(rows.Table.Table, out var ordinals))
                        {
                            foreach (var row in rows.Rows)
                            {
                                if (row.Before is { } before)
                                {
                                    keys.Add((rows.Table.Table, Key(before, ordinals)));
                                }

                                if (row.After is { } after)
                                {
                                    keys.Add((rows.Table.Table, Key(after, ordinals)));
                                }
                            }

                            events++;
                        }
                        else if (changelogs.Contains(rows.Table.Table) && rows.Kind == RowChangeKind.Insert)
                        {
                            markers.AddRange(rows.Rows.Select(r => new Marker(rows.Table.Table, Convert.ToInt64(r.After![0], CultureInfo.InvariantCulture))));
                        }

                        break;
                    case XidEvent:
                    case QueryEvent q when q.Sql.Trim().Equals("COMMIT", StringComparison.OrdinalIgnoreCase):
                        var position = Format(ev.Position);
                        if (keys.Count > 0 || markers.Count > 0)
                        {
                            Interlocked.Increment(ref backlog);
                            committed.Writer.TryWrite(new Transaction(keys.ToList(), markers.ToList(), position, events));
                            keys.Clear();
                            markers.Clear();
                            events = 0;
                        }

                        lastBoundary = position;
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (MySqlServerException ex) when (ex.ErrorCode == 1236)
        {
            failure = new StreamPositionLostException($"the server cannot send the binlog from the checkpoint any more: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            failure = ex;
        }
    }

    private static RowKey Key(IReadOnlyList<object?> values, int[] ordinals) => new(ordinals.Select(i => values[i]).ToArray());

    private sealed record Transaction(IReadOnlyList<(string Table, RowKey Key)> Keys, IReadOnlyList<Marker> Markers, string Position, int Events);
}
