using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.MySqlReplication.Auth;
using SchemaBuild.MySqlReplication.Tls;

namespace SchemaBuild.MySqlReplication.Protocol;

/// <summary>
/// One authenticated server connection: handshake, TLS, authentication, and the
/// command/response primitives the binlog client is built on.
/// </summary>
internal sealed class ServerSession : IAsyncDisposable
{
    public const byte ComQuit = 0x01;
    public const byte ComInitDb = 0x02;
    public const byte ComQuery = 0x03;
    public const byte ComPing = 0x0E;
    public const byte ComBinlogDump = 0x12;
    public const byte ComRegisterSlave = 0x15;
    public const byte ComStmtPrepare = 0x16;
    public const byte ComStmtExecute = 0x17;
    public const byte ComStmtClose = 0x19;
    public const byte ComBinlogDumpGtid = 0x1E;
    private const byte Utf8Mb4GeneralCi = 45;

    private const CapabilityFlags ClientCapabilities =
        CapabilityFlags.LongPassword | CapabilityFlags.FoundRows | CapabilityFlags.LongFlag | CapabilityFlags.Protocol41 |
        CapabilityFlags.Transactions | CapabilityFlags.SecureConnection | CapabilityFlags.MultiStatements |
        CapabilityFlags.MultiResults | CapabilityFlags.PsMultiResults | CapabilityFlags.PluginAuth |
        CapabilityFlags.PluginAuthLengthEncodedData | CapabilityFlags.DeprecateEof;

    /// <summary>The most columns a MySQL/MariaDB result can have.</summary>
    private const int MaxColumns = 4096;

    private readonly PacketChannel _channel;
    private readonly Socket? _socket;
    private readonly PacketWriter _writer = new(1024);

    private ServerSession(MySqlConnectionOptions options, PacketChannel channel, Socket? socket)
    {
        Options = options;
        _channel = channel;
        _socket = socket;
    }

    public MySqlConnectionOptions Options { get; }
    public string ServerVersion { get; private set; } = "";
    public uint ConnectionId { get; private set; }
    public CapabilityFlags Capabilities { get; private set; }
    public bool IsEncrypted { get; private set; }
    public string AuthPlugin { get; private set; } = "";
    public bool IsBroken { get; private set; }
    public bool DeprecateEof => (Capabilities & CapabilityFlags.DeprecateEof) != 0;

    public static async Task<ServerSession> ConnectAsync(MySqlConnectionOptions options, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.ConnectTimeout > TimeSpan.Zero) timeout.CancelAfter(options.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        ServerSession? session = null;
        try
        {
            await socket.ConnectAsync(options.Host, options.Port, timeout.Token).ConfigureAwait(false);
            session = new ServerSession(options, new PacketChannel(new NetworkStream(socket, ownsSocket: true)), socket);
            await session.HandshakeAsync(timeout.Token).ConfigureAwait(false);
            return session;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            await DisposeQuietly(session, socket).ConfigureAwait(false);
            throw new TimeoutException($"Connecting to {options.Host}:{options.Port} did not finish within {options.ConnectTimeout.TotalSeconds:0.###} s.", e);
        }
        catch (SocketException e)
        {
            await DisposeQuietly(session, socket).ConfigureAwait(false);
            throw new IOException($"Cannot connect to {options.Host}:{options.Port}: {e.Message}", e);
        }
        catch
        {
            await DisposeQuietly(session, socket).ConfigureAwait(false);
            throw;
        }
    }

    private static async ValueTask DisposeQuietly(ServerSession? session, Socket socket)
    {
        if (session is not null) await session._channel.DisposeAsync().ConfigureAwait(false);
        socket.Dispose();
    }

    /// <summary>Connects over an already-open stream (fake servers in tests).</summary>
    internal static async Task<ServerSession> ConnectAsync(Stream stream, MySqlConnectionOptions options, CancellationToken cancellationToken)
    {
        var session = new ServerSession(options, new PacketChannel(stream), null);
        await session.HandshakeAsync(cancellationToken).ConfigureAwait(false);
        return session;
    }

    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        _channel.Sequence = 0;
        var packet = await _channel.ReadPacketAsync(cancellationToken).ConfigureAwait(false);
        var handshake = Guarded(() => InitialHandshake.Parse(packet.Span));
        ServerVersion = RealVersion(handshake.ServerVersion);
        ConnectionId = handshake.ConnectionId;
        bool serverTls = (handshake.Capabilities & CapabilityFlags.Ssl) != 0;
        bool useTls = Options.SslMode != MySqlSslMode.Disabled && serverTls;
        if (Options.SslMode >= MySqlSslMode.Required && !serverTls)
        {
            throw new System.Security.Authentication.AuthenticationException($"sslmode={Options.SslMode} but the server does not support TLS.");
        }
        if ((handshake.Capabilities & CapabilityFlags.Protocol41) == 0)
        {
            throw new MySqlProtocolException("The server does not speak protocol 4.1.");
        }
        var caps = ClientCapabilities & handshake.Capabilities;
        if (Options.Database is not null) caps |= CapabilityFlags.ConnectWithDb & handshake.Capabilities;
        if (useTls) caps |= CapabilityFlags.Ssl;
        Capabilities = caps;

        if (useTls)
        {
            _writer.Reset().WriteUInt32((uint)caps).WriteUInt32(1 << 24).WriteByte(Utf8Mb4GeneralCi).WriteZeros(23);
            await _channel.WritePacketAsync(_writer, cancellationToken).ConfigureAwait(false);
            var ssl = await TlsNegotiator.AuthenticateAsync(_channel.Stream, Options, cancellationToken).ConfigureAwait(false);
            _channel.ReplaceStream(ssl);
            IsEncrypted = true;
        }

        string plugin = handshake.AuthPlugin;
        byte[] nonce = handshake.Nonce;
        byte[] authResponse = AuthPlugins.InitialResponse(plugin, Options.Password, nonce, IsEncrypted);
        _writer.Reset().WriteUInt32((uint)caps).WriteUInt32(1 << 24).WriteByte(Utf8Mb4GeneralCi).WriteZeros(23);
        _writer.WriteNullTerminated(Options.User);
        if ((caps & CapabilityFlags.PluginAuthLengthEncodedData) != 0) _writer.WriteLengthEncodedBytes(authResponse);
        else _writer.WriteByte((byte)authResponse.Length).WriteBytes(authResponse);
        if ((caps & CapabilityFlags.ConnectWithDb) != 0) _writer.WriteNullTerminated(Options.Database!);
        if ((caps & CapabilityFlags.PluginAuth) != 0) _writer.WriteNullTerminated(plugin);
        await _channel.WritePacketAsync(_writer, cancellationToken).ConfigureAwait(false);
        await AuthenticateAsync(plugin, nonce, cancellationToken).ConfigureAwait(false);
    }

    private async Task AuthenticateAsync(string plugin, byte[] nonce, CancellationToken cancellationToken)
    {
        bool requestedKey = false;
        for (int round = 0; round < 8; round++)
        {
            var packet = await _channel.ReadPacketAsync(cancellationToken).ConfigureAwait(false);
            if (packet.Length == 0) throw MySqlProtocolException.Truncated();
            byte header = packet.Span[0];
            byte[]? reply;
            switch (header)
            {
                case 0x00:
                    AuthPlugin = plugin;
                    return;
                case 0xFF:
                    throw ParseError(packet.Span);
                case 0xFE:
                    (plugin, nonce) = Guarded(() =>
                    {
                        var r = new PacketReader(packet.Span.Slice(1));
                        string name = r.ReadNullTerminatedString();
                        return (name, AuthPlugins.SwitchNonce(name, r.ReadRest()));
                    });
                    reply = AuthPlugins.InitialResponse(plugin, Options.Password, nonce, IsEncrypted);
                    break;
                case 0x01 when plugin == CachingSha2Password.PluginName:
                    reply = CachingSha2Reply(packet.Span.Slice(1), nonce, ref requestedKey);
                    if (reply is null) continue;
                    break;
                default:
                    throw new MySqlProtocolException($"Unexpected packet 0x{header:X2} during authentication.");
            }
            _writer.Reset().WriteBytes(reply);
            await _channel.WritePacketAsync(_writer, cancellationToken).ConfigureAwait(false);
        }
        throw new MySqlProtocolException("Authentication did not finish.");
    }

    private byte[]? CachingSha2Reply(ReadOnlySpan<byte> data, byte[] nonce, ref bool requestedKey)
    {
        if (requestedKey)
        {
            requestedKey = false;
            return CachingSha2Password.EncryptPassword(Options.Password, nonce, Encoding.ASCII.GetString(data));
        }
        if (data.Length != 1) throw new MySqlProtocolException("Unexpected caching_sha2_password message.");
        switch (data[0])
        {
            case CachingSha2Password.FastAuthSuccess:
                return null; // the OK packet follows
            case CachingSha2Password.PerformFullAuthentication when IsEncrypted:
                return CachingSha2Password.ClearPassword(Options.Password);
            case CachingSha2Password.PerformFullAuthentication when Options.AllowPublicKeyRetrieval:
                requestedKey = true;
                return new[] { CachingSha2Password.RequestPublicKey };
            case CachingSha2Password.PerformFullAuthentication:
                throw new System.Security.Authentication.AuthenticationException("caching_sha2_password full authentication needs TLS or public key retrieval.");
            default:
                throw new MySqlProtocolException($"Unexpected caching_sha2_password status 0x{data[0]:X2}.");
        }
    }

    /// <summary>Runs a parser and turns any stray decoding failure into a protocol exception.</summary>
    public static T Guarded<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or OverflowException or FormatException or DecoderFallbackException)
        {
            throw new MySqlProtocolException("Malformed packet: " + e.Message, innerException: e);
        }
    }

    public static MySqlServerException ParseError(ReadOnlySpan<byte> payload)
    {
        byte[] copy = payload.ToArray();
        return Guarded(() => ParseErrorCore(copy));
    }

    private static MySqlServerException ParseErrorCore(byte[] payload)
    {
        var r = new PacketReader(payload);
        r.Skip(1);
        int code = r.ReadUInt16();
        string state = "HY000";
        if (!r.AtEnd && r.PeekByte() == (byte)'#')
        {
            r.Skip(1);
            state = Encoding.ASCII.GetString(r.ReadBytes(5));
        }
        return new MySqlServerException(code, state, Encoding.UTF8.GetString(r.ReadRest()));
    }

    public static OkPacket ParseOk(ReadOnlySpan<byte> payload)
    {
        var r = new PacketReader(payload);
        r.Skip(1);
        if (payload.Length < 7)
        {
            // A classic EOF packet: warnings then status.
            ushort warningsOnly = payload.Length >= 3 ? r.ReadUInt16() : (ushort)0;
            var statusOnly = payload.Length >= 5 ? (ServerStatus)r.ReadUInt16() : ServerStatus.None;
            return new OkPacket(0, 0, statusOnly, warningsOnly);
        }
        ulong affected = r.ReadLengthEncoded();
        ulong insertId = r.ReadLengthEncoded();
        var status = (ServerStatus)r.ReadUInt16();
        ushort warnings = r.ReadUInt16();
        return new OkPacket(affected, insertId, status, warnings);
    }

    public void MarkBroken()
    {
        IsBroken = true;
        _socket?.Dispose();
    }

    public PacketWriter BeginCommand(byte command)
    {
        _channel.Sequence = 0;
        return _writer.Reset().WriteByte(command);
    }

    public ValueTask SendAsync(PacketWriter writer, CancellationToken cancellationToken) =>
        _channel.WritePacketAsync(writer, cancellationToken);

    public ValueTask SendCommandAsync(byte command, string text, CancellationToken cancellationToken) =>
        SendAsync(BeginCommand(command).WriteString(text), cancellationToken);

    public ValueTask<ReadOnlyMemory<byte>> ReadPacketAsync(CancellationToken cancellationToken) =>
        _channel.ReadPacketAsync(cancellationToken);

    /// <summary>Runs a statement whose result does not matter beyond success (SET, KILL); rows are discarded.</summary>
    public async Task ExecuteInternalAsync(string sql, CancellationToken cancellationToken)
    {
        await SendCommandAsync(ComQuery, sql, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var packet = await ReadPacketAsync(cancellationToken).ConfigureAwait(false);
            byte first = packet.Length > 0 ? packet.Span[0] : throw MySqlProtocolException.Truncated();
            if (first == 0xFF) throw ParseError(packet.Span);
            ServerStatus status;
            if (first == 0x00)
            {
                status = ParseOk(packet.Span).Status;
            }
            else
            {
                status = await SkipResultSetAsync(cancellationToken).ConfigureAwait(false);
            }
            if ((status & ServerStatus.MoreResultsExist) == 0) return;
        }
    }

    private async Task<ServerStatus> SkipResultSetAsync(CancellationToken cancellationToken)
    {
        bool seenEof = DeprecateEof;
        while (true)
        {
            var packet = await ReadPacketAsync(cancellationToken).ConfigureAwait(false);
            var span = packet.Span;
            if (span.Length == 0) continue;
            if (span[0] == 0xFF) throw ParseError(span);
            if (span[0] == 0xFE && span.Length < 0xFFFFFF)
            {
                if (seenEof) return ParseOk(span).Status;
                seenEof = true;
            }
        }
    }

    /// <summary>
    /// Runs a text query and returns its rows as strings (null for SQL NULL): the few reads the
    /// replication connection makes itself (checksum setting, current binlog position).
    /// </summary>
    public async Task<IReadOnlyList<string?[]>> QueryTextAsync(string sql, CancellationToken cancellationToken)
    {
        await SendCommandAsync(ComQuery, sql, cancellationToken).ConfigureAwait(false);
        var first = await ReadPacketAsync(cancellationToken).ConfigureAwait(false);
        if (first.Length == 0) throw MySqlProtocolException.Truncated();
        if (first.Span[0] == 0xFF) throw ParseError(first.Span);
        var rows = new List<string?[]>();
        if (first.Span[0] == 0x00) return rows;
        int columns = Guarded(() => new PacketReader(first.Span).ReadLengthEncodedInt32());
        if (columns > MaxColumns) throw new MySqlProtocolException($"The server announced {columns} columns; a result has at most {MaxColumns}.");
        for (int i = 0; i < columns; i++) await ReadPacketAsync(cancellationToken).ConfigureAwait(false);
        if (!DeprecateEof) await ReadPacketAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var packet = await ReadPacketAsync(cancellationToken).ConfigureAwait(false);
            if (packet.Length == 0) throw MySqlProtocolException.Truncated();
            if (packet.Span[0] == 0xFF) throw ParseError(packet.Span);
            // EOF / OK after the rows; a row starting with 0xFE (an 8-byte length prefix) fills a whole 16 MiB packet.
            if (packet.Span[0] == 0xFE && packet.Length < 0xFFFFFF) return rows;
            rows.Add(Guarded(() => ReadTextRow(packet.Span, columns)));
        }
    }

    private static string?[] ReadTextRow(ReadOnlySpan<byte> payload, int columns)
    {
        var reader = new PacketReader(payload);
        var row = new string?[columns];
        for (int i = 0; i < columns; i++)
        {
            long length = reader.ReadLengthEncodedOrNull();
            row[i] = length < 0 ? null : Encoding.UTF8.GetString(reader.ReadBytes((int)length));
        }
        return row;
    }

    /// <summary>MariaDB announces itself as <c>5.5.5-10.11.9-MariaDB</c> for old clients: the real version follows the prefix.</summary>
    internal static string RealVersion(string announced) =>
        announced.StartsWith("5.5.5-", StringComparison.Ordinal) && announced.Contains("MariaDB", StringComparison.OrdinalIgnoreCase)
            ? announced.Substring("5.5.5-".Length)
            : announced;

    public async ValueTask DisposeAsync()
    {
        if (!IsBroken)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await SendAsync(BeginCommand(ComQuit), cts.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or MySqlProtocolException or OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // The server may already be gone; closing is all that is left to do.
            }
        }
        IsBroken = true;
        await _channel.DisposeAsync().ConfigureAwait(false);
        _socket?.Dispose();
    }
}
