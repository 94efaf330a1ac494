using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.MySqlReplication.Protocol;

namespace SchemaBuild.MySqlReplication.Binlog;

/// <summary>
/// A replication client: registers as a replica, asks for the binlog stream and
/// yields typed events. On a dropped connection it reconnects from the last
/// transaction boundary and skips what it already delivered, so a consumer sees
/// every event exactly once.
/// </summary>
public sealed class BinlogClient : IAsyncDisposable
{
    private const ushort DumpNonBlock = 1;
    private const ushort DumpThroughGtid = 4;
    private readonly BinlogClientOptions _options;
    private readonly Dictionary<uint, MariaDbGtid> _gtidState = new();
    private readonly MySqlGtidSet? _mysqlExecuted;
    private ServerSession? _session;
    private BinlogEventDecoder? _decoder;
    private bool _useGtid;
    private bool _inTransaction;
    private MariaDbGtid? _pendingMariaDbGtid;
    private MySqlGtidEvent? _pendingMySqlGtid;
    private BinlogPosition? _delivered;
    private bool _finished;

    public BinlogClient(BinlogClientOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        var start = options.Start;
        if (start.FilePosition is { } position) SafePosition = position;
        if (start.MariaDbGtids is { } gtids)
        {
            _useGtid = true;
            foreach (var g in gtids) _gtidState[g.DomainId] = g;
        }
        if (start.MySqlGtids is { } set)
        {
            _useGtid = true;
            _mysqlExecuted = MySqlGtidSet.Parse(set.ToString());
        }
    }

    /// <summary>End of the last event delivered.</summary>
    public BinlogPosition? Position => _delivered;

    /// <summary>End of the last complete transaction: where a restart resumes without splitting a transaction.</summary>
    public BinlogPosition? SafePosition { get; private set; }

    /// <summary>MariaDB GTID position of the last complete transaction, e.g. <c>0-1-42</c>.</summary>
    public string MariaDbGtidPosition => MariaDbGtid.FormatList(_gtidState.Values);

    /// <summary>The server's id for the dump connection (what KILL takes).</summary>
    public uint ConnectionId => _session?.ConnectionId ?? 0;

    public int ReconnectCount { get; private set; }

    public async IAsyncEnumerable<BinlogEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var next = await NextAsync(cancellationToken).ConfigureAwait(false);
            if (next is null) yield break;
            yield return next;
        }
    }

    private async Task<BinlogEvent?> NextAsync(CancellationToken cancellationToken)
    {
        int failures = 0;
        while (!_finished)
        {
            try
            {
                if (_session is null) await ConnectAsync(cancellationToken).ConfigureAwait(false);
                var ev = await ReadEventAsync(cancellationToken).ConfigureAwait(false);
                if (ev is null)
                {
                    _finished = true;
                    return null;
                }
                failures = 0;
                Track(ev);
                if (IsAlreadyDelivered(ev)) continue;
                if (!ev.Header.IsArtificial && ev.Header.NextPosition != 0) _delivered = ev.Position;
                return ev;
            }
            catch (Exception e) when (IsTransient(e) && _options.Reconnect && !cancellationToken.IsCancellationRequested && failures < _options.MaxReconnectAttempts)
            {
                failures++;
                ReconnectCount++;
                await DropSessionAsync().ConfigureAwait(false);
                await Task.Delay(_options.ReconnectDelay, cancellationToken).ConfigureAwait(false);
            }
        }
        return null;
    }

    private static bool IsTransient(Exception e) => e switch
    {
        MySqlProtocolException p => p.ConnectionLost,
        IOException or TimeoutException => true,
        // Connection killed / server shutdown / lost replica connection.
        MySqlServerException m => m.ErrorCode is 1927 or 1053 or 2013 or 1159 or 1161,
        _ => false,
    };

    /// <summary>After a reconnect, events up to what was already delivered come again; they are decoded (for table maps) but not repeated.</summary>
    private bool IsAlreadyDelivered(BinlogEvent ev) =>
        _delivered is { } delivered && !ev.Header.IsArtificial && ev.Header.NextPosition != 0
        && ev.Position.FileName == delivered.FileName && ev.Position.Position <= delivered.Position
        || (ev is FormatDescriptionEvent && _delivered is not null && ev.Header.NextPosition == 0);

    private void Track(BinlogEvent ev)
    {
        switch (ev)
        {
            case MariaDbGtidEvent g:
                _pendingMariaDbGtid = g.Gtid;
                // A standalone group (DDL) is completed by its one QUERY event, a transaction by XID or COMMIT.
                _inTransaction = true;
                break;
            case MySqlGtidEvent g:
                _pendingMySqlGtid = g;
                break;
            case QueryEvent q:
                string sql = q.Sql.TrimStart();
                if (sql.Equals("BEGIN", StringComparison.OrdinalIgnoreCase) || sql.StartsWith("XA START", StringComparison.OrdinalIgnoreCase))
                {
                    _inTransaction = true;
                }
                else
                {
                    CompleteTransaction(ev);
                }
                break;
            case XidEvent:
                CompleteTransaction(ev);
                break;
            case RotateEvent r when !r.Header.IsArtificial && !_inTransaction:
                SafePosition = ev.Position;
                break;
            case RotateEvent r when SafePosition is null:
                SafePosition = ev.Position;
                break;
        }
    }

    private void CompleteTransaction(BinlogEvent ev)
    {
        _inTransaction = false;
        if (ev.Header.NextPosition != 0) SafePosition = ev.Position;
        if (_pendingMariaDbGtid is { } g) _gtidState[g.DomainId] = g;
        if (_pendingMySqlGtid is { } m && _mysqlExecuted is not null) _mysqlExecuted.Add(m.SourceId, m.TransactionNumber);
        _pendingMariaDbGtid = null;
        _pendingMySqlGtid = null;
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var connection = _options.Connection.WithTimeouts(command: TimeSpan.Zero);
        var session = await ServerSession.ConnectAsync(connection, cancellationToken).ConfigureAwait(false);
        try
        {
            bool mariaDb = session.ServerVersion.Contains("MariaDB", StringComparison.OrdinalIgnoreCase);
            string checksum = await ScalarAsync(session, "SELECT @@global.binlog_checksum", cancellationToken).ConfigureAwait(false) ?? "NONE";
            // Tells the server this replica understands checksums, so it does not strip them or refuse.
            await session.ExecuteInternalAsync("SET @master_binlog_checksum = @@global.binlog_checksum", cancellationToken).ConfigureAwait(false);
            if (mariaDb)
            {
                // 4 = MARIA_SLAVE_CAPABILITY_GTID: send GTID events as they are, not rewritten for old replicas.
                await session.ExecuteInternalAsync("SET @mariadb_slave_capability = 4", cancellationToken).ConfigureAwait(false);
            }
            if (_options.HeartbeatInterval is { } heartbeat)
            {
                long nanoseconds = (long)(heartbeat.TotalMilliseconds * 1_000_000);
                await session.ExecuteInternalAsync("SET @master_heartbeat_period = " + nanoseconds.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
            }
            await RegisterAsync(session, cancellationToken).ConfigureAwait(false);

            BinlogPosition start;
            if (_useGtid && _options.Start.MySqlGtids is null)
            {
                // The GTID position is validated by the server; only digits, '-' and ',' can appear in it.
                string state = MariaDbGtidPosition;
                await session.ExecuteInternalAsync($"SET @slave_connect_state = '{state}'", cancellationToken).ConfigureAwait(false);
                await session.ExecuteInternalAsync("SET @slave_gtid_strict_mode = 0", cancellationToken).ConfigureAwait(false);
                start = new BinlogPosition("", 4);
            }
            else if (_useGtid)
            {
                start = SafePosition ?? new BinlogPosition("", 4);
            }
            else
            {
                start = SafePosition ?? await CurrentPositionAsync(session, cancellationToken).ConfigureAwait(false);
                SafePosition ??= start;
            }

            ushort flags = _options.StopAtEnd ? DumpNonBlock : (ushort)0;
            var writer = session.BeginCommand(_useGtid && _mysqlExecuted is not null ? ServerSession.ComBinlogDumpGtid : ServerSession.ComBinlogDump);
            if (_useGtid && _mysqlExecuted is not null) EncodeDumpGtid(writer, _options.ServerId, flags, start, _mysqlExecuted);
            else EncodeDump(writer, _options.ServerId, flags, start);
            await session.SendAsync(writer, cancellationToken).ConfigureAwait(false);
            _decoder = new BinlogEventDecoder(checksum.Equals("CRC32", StringComparison.OrdinalIgnoreCase), _options.VerifyChecksums) { FileName = start.FileName, DecodeRowsOf = _options.DecodeRowsOf };
            _session = session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<string?> ScalarAsync(ServerSession session, string sql, CancellationToken cancellationToken)
    {
        var rows = await session.QueryTextAsync(sql, cancellationToken).ConfigureAwait(false);
        return rows.Count > 0 ? rows[0][0] : null;
    }

    private static async Task<BinlogPosition> CurrentPositionAsync(ServerSession session, CancellationToken cancellationToken)
    {
        var rows = await session.QueryTextAsync("SHOW MASTER STATUS", cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0 || rows[0].Length < 2 || rows[0][0] is null || !ulong.TryParse(rows[0][1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong position))
        {
            throw new InvalidOperationException("The server has binary logging disabled (SHOW MASTER STATUS is empty).");
        }
        return new BinlogPosition(rows[0][0]!, position);
    }

    private async Task RegisterAsync(ServerSession session, CancellationToken cancellationToken)
    {
        var writer = session.BeginCommand(ServerSession.ComRegisterSlave);
        EncodeRegisterReplica(writer, _options.ServerId);
        await session.SendAsync(writer, cancellationToken).ConfigureAwait(false);
        var reply = await session.ReadPacketAsync(cancellationToken).ConfigureAwait(false);
        if (reply.Length > 0 && reply.Span[0] == 0xFF) throw ServerSession.ParseError(reply.Span);
    }

    /// <summary>COM_REGISTER_SLAVE: server id, then empty host/user/password, port, rank and master id.</summary>
    internal static void EncodeRegisterReplica(PacketWriter writer, uint serverId) =>
        writer.WriteUInt32(serverId).WriteByte(0).WriteByte(0).WriteByte(0).WriteUInt16(0).WriteUInt32(0).WriteUInt32(0);

    /// <summary>COM_BINLOG_DUMP: position (4), flags (2), server id (4), file name (rest).</summary>
    internal static void EncodeDump(PacketWriter writer, uint serverId, ushort flags, BinlogPosition start)
    {
        if (start.Position > uint.MaxValue) throw new ArgumentOutOfRangeException(nameof(start), "COM_BINLOG_DUMP positions are 32-bit.");
        writer.WriteUInt32((uint)start.Position).WriteUInt16(flags).WriteUInt32(serverId).WriteString(start.FileName);
    }

    /// <summary>
    /// COM_BINLOG_DUMP_GTID (MySQL): flags (2, with BINLOG_THROUGH_GTID), server id (4), file name length (4),
    /// file name, position (8), GTID data length (4), encoded GTID set.
    /// </summary>
    internal static void EncodeDumpGtid(PacketWriter writer, uint serverId, ushort flags, BinlogPosition start, MySqlGtidSet executed)
    {
        byte[] file = Encoding.UTF8.GetBytes(start.FileName);
        byte[] set = executed.Encode();
        writer.WriteUInt16((ushort)(flags | DumpThroughGtid)).WriteUInt32(serverId).WriteUInt32((uint)file.Length).WriteBytes(file)
            .WriteUInt64(start.Position).WriteUInt32((uint)set.Length).WriteBytes(set);
    }

    private async Task<BinlogEvent?> ReadEventAsync(CancellationToken cancellationToken)
    {
        var session = _session!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ReadTimeout);
        ReadOnlyMemory<byte> packet;
        try
        {
            packet = await session.ReadPacketAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No binlog event or heartbeat within {_options.ReadTimeout.TotalSeconds:0.###} s.");
        }
        catch (OperationCanceledException)
        {
            session.MarkBroken();
            throw;
        }
        var span = packet.Span;
        if (span.Length == 0) throw MySqlProtocolException.Truncated();
        switch (span[0])
        {
            case 0x00:
                return _decoder!.Decode(span.Slice(1));
            case 0xFE when span.Length < 9:
                return null; // end of binlog in non-blocking mode
            case 0xFF:
                throw ServerSession.ParseError(span);
            default:
                throw new MySqlProtocolException($"Unexpected packet 0x{span[0]:X2} in the binlog stream.");
        }
    }

    private async Task DropSessionAsync()
    {
        var session = _session;
        _session = null;
        if (session is null) return;
        session.MarkBroken();
        await session.DisposeAsync().ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => new(DropSessionAsync());
}
