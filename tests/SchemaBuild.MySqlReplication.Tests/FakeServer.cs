using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace SchemaBuild.MySqlReplication.Tests;

/// <summary>
/// A scripted server on a loopback port: sends prepared bytes, reads the client's
/// packets, and closes when the script ends, so a client under test can never
/// wait forever. Used for malformed-packet, fuzz and MySQL-8-only auth tests.
/// </summary>
internal sealed class FakeServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Task _serve;
    private readonly CancellationTokenSource _stop = new();

    public FakeServer(Func<FakeServerConnection, Task> script)
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _serve = ServeAsync(script);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Exception thrown by the script, if any (assertions made on the server side).</summary>
    public Exception? ScriptError { get; private set; }

    public MySqlConnectionOptions Options(string password = "secret") => new()
    {
        Host = "127.0.0.1",
        Port = Port,
        User = "tester",
        Password = password,
        SslMode = MySqlSslMode.Disabled,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        CommandTimeout = TimeSpan.FromSeconds(5),
    };

    private async Task ServeAsync(Func<FakeServerConnection, Task> script)
    {
        try
        {
            using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            client.NoDelay = true;
            await using var stream = client.GetStream();
            try
            {
                await script(new FakeServerConnection(stream, _stop.Token));
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or EndOfStreamException)
            {
                // The client hung up first: that is what many tests provoke.
            }
            catch (Exception e)
            {
                ScriptError = e;
            }
            client.Client.Shutdown(SocketShutdown.Both);
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            _listener.Stop();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _serve;
        _stop.Dispose();
    }
}

internal sealed class FakeServerConnection
{
    private readonly Stream _stream;
    private readonly CancellationToken _token;

    public FakeServerConnection(Stream stream, CancellationToken token)
    {
        _stream = stream;
        _token = token;
    }

    public byte Sequence { get; set; }

    public Task SendRawAsync(byte[] bytes) => _stream.WriteAsync(bytes, 0, bytes.Length, _token);

    /// <summary>Frames and sends one packet with the running sequence number.</summary>
    public Task SendPacketAsync(byte[] payload) => SendRawAsync(Frame(payload, Sequence++));

    public static byte[] Frame(byte[] payload, byte sequence)
    {
        var framed = new byte[payload.Length + 4];
        framed[0] = (byte)payload.Length;
        framed[1] = (byte)(payload.Length >> 8);
        framed[2] = (byte)(payload.Length >> 16);
        framed[3] = sequence;
        payload.CopyTo(framed, 4);
        return framed;
    }

    public async Task<byte[]> ReceivePacketAsync()
    {
        var header = new byte[4];
        await _stream.ReadExactlyAsync(header, _token);
        int length = header[0] | header[1] << 8 | header[2] << 16;
        Sequence = (byte)(header[3] + 1);
        var payload = new byte[length];
        await _stream.ReadExactlyAsync(payload, _token);
        return payload;
    }
}

/// <summary>Server-side packet builders for fake servers.</summary>
internal static class ServerPackets
{
    public static readonly byte[] Nonce = "0123456789abcdefghij"u8.ToArray();

    public static byte[] Handshake(string plugin = "mysql_native_password", uint capabilities = 0x81FFF7FF & ~0x0800u, byte[]? nonce = null, string version = "8.0.36-fake")
    {
        nonce ??= Nonce;
        var p = new List<byte> { 10 };
        p.AddRange(System.Text.Encoding.ASCII.GetBytes(version));
        p.Add(0);
        p.AddRange(BitConverter.GetBytes(42u));
        p.AddRange(nonce[..8]);
        p.Add(0);
        p.AddRange(BitConverter.GetBytes((ushort)capabilities));
        p.Add(45);
        p.AddRange(BitConverter.GetBytes((ushort)2));
        p.AddRange(BitConverter.GetBytes((ushort)(capabilities >> 16)));
        p.Add((byte)(nonce.Length + 1));
        p.AddRange(new byte[10]);
        p.AddRange(nonce[8..]);
        p.Add(0);
        p.AddRange(System.Text.Encoding.ASCII.GetBytes(plugin));
        p.Add(0);
        return p.ToArray();
    }

    public static byte[] Ok(ushort status = 2) => new byte[] { 0, 0, 0, (byte)status, (byte)(status >> 8), 0, 0 };

    public static byte[] Eof(ushort status = 2) => new byte[] { 0xFE, 0, 0, (byte)status, (byte)(status >> 8), 0, 0 };

    public static byte[] Error(ushort code, string state, string message)
    {
        var p = new List<byte> { 0xFF, (byte)code, (byte)(code >> 8), (byte)'#' };
        p.AddRange(System.Text.Encoding.ASCII.GetBytes(state));
        p.AddRange(System.Text.Encoding.UTF8.GetBytes(message));
        return p.ToArray();
    }

    public static byte[] ColumnDefinition(string name, MySqlColumnType type, ushort charset = 45, ushort flags = 0)
    {
        var p = new List<byte>();
        void Lenenc(string s)
        {
            var b = System.Text.Encoding.UTF8.GetBytes(s);
            p.Add((byte)b.Length);
            p.AddRange(b);
        }
        Lenenc("def");
        Lenenc("db");
        Lenenc("t");
        Lenenc("t");
        Lenenc(name);
        Lenenc(name);
        p.Add(0x0C);
        p.AddRange(BitConverter.GetBytes(charset));
        p.AddRange(BitConverter.GetBytes(255u));
        p.Add((byte)type);
        p.AddRange(BitConverter.GetBytes(flags));
        p.Add(0);
        p.Add(0);
        p.Add(0);
        return p.ToArray();
    }

    public static byte[] TextRow(params string?[] values)
    {
        var p = new List<byte>();
        foreach (var v in values)
        {
            if (v is null)
            {
                p.Add(0xFB);
                continue;
            }
            var b = System.Text.Encoding.UTF8.GetBytes(v);
            p.Add((byte)b.Length);
            p.AddRange(b);
        }
        return p.ToArray();
    }

    /// <summary>Handshake, OK for the login, then a two-column result for the first query (DEPRECATE_EOF style).</summary>
    public static List<byte[]> QueryTranscript()
    {
        var packets = new List<byte[]>
        {
            new byte[] { 2 },
            ColumnDefinition("id", MySqlColumnType.Long),
            ColumnDefinition("name", MySqlColumnType.VarString),
            TextRow("1", "one"),
            TextRow("2", null),
            Eof(),
        };
        return packets;
    }
}
