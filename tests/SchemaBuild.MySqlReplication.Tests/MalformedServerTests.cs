using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using SchemaBuild.MySqlReplication.Protocol;
using Xunit;

namespace SchemaBuild.MySqlReplication.Tests;

/// <summary>A fake server sends broken bytes; the client must fail with a protocol error, promptly.</summary>
public sealed class MalformedServerTests
{
    private static async Task<Exception?> RunClientAsync(FakeServer server, bool query = true)
    {
        try
        {
            await using var connection = await ServerSession.ConnectAsync(server.Options());
            if (query)
            {
                await connection.QueryTextAsync("SELECT id, name FROM t", default);
            }
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private static FakeServer Serve(byte[] rawAfterLogin) => new(async c =>
    {
        await c.SendPacketAsync(ServerPackets.Handshake());
        await c.ReceivePacketAsync();
        await c.SendPacketAsync(ServerPackets.Ok());
        await c.ReceivePacketAsync();
        await c.SendRawAsync(rawAfterLogin);
    });

    [Fact]
    public async Task Well_formed_transcript_reads_rows()
    {
        await using var server = new FakeServer(async c =>
        {
            await c.SendPacketAsync(ServerPackets.Handshake());
            await c.ReceivePacketAsync();
            await c.SendPacketAsync(ServerPackets.Ok());
            await c.ReceivePacketAsync();
            foreach (var p in ServerPackets.QueryTranscript()) await c.SendPacketAsync(p);
            await c.ReceivePacketAsync(); // COM_QUIT
        });
        await using var connection = await ServerSession.ConnectAsync(server.Options());
        var rows = await connection.QueryTextAsync("SELECT id, name FROM t", default);
        Assert.Equal(2, rows.Count);
        Assert.Equal(new[] { "1", "one" }, rows[0]);
        Assert.Null(rows[1][1]);
    }

    [Fact]
    public async Task Packets_over_16_MiB_are_reassembled()
    {
        // A 17 MB text value: its row is split into a 0xFFFFFF-byte packet and a remainder, and starts with 0xFE.
        const int ValueLength = 17_000_000;
        var row = new byte[9 + ValueLength];
        row[0] = 0xFE;
        BitConverter.GetBytes((ulong)ValueLength).CopyTo(row, 1);
        for (int i = 9; i < row.Length; i++) row[i] = (byte)('a' + i % 26);
        await using var server = new FakeServer(async c =>
        {
            await c.SendPacketAsync(ServerPackets.Handshake());
            await c.ReceivePacketAsync();
            await c.SendPacketAsync(ServerPackets.Ok());
            await c.ReceivePacketAsync();
            await c.SendPacketAsync(new byte[] { 1 });
            await c.SendPacketAsync(ServerPackets.ColumnDefinition("big", MySqlColumnType.Blob));
            await c.SendPacketAsync(row[..0xFFFFFF]);
            await c.SendPacketAsync(row[0xFFFFFF..]);
            await c.SendPacketAsync(ServerPackets.Eof());
            await c.ReceivePacketAsync();
        });
        await using var connection = await ServerSession.ConnectAsync(server.Options());
        var rows = await connection.QueryTextAsync("SELECT big", default);
        string value = Assert.Single(rows)[0]!;
        Assert.Equal(ValueLength, value.Length);
        Assert.Equal(System.Text.Encoding.ASCII.GetString(row, 9, ValueLength), value);
    }

    [Theory]
    [InlineData("0A")] // protocol version only
    [InlineData("0B352E3700")] // protocol version 11
    [InlineData("0A382E3000")] // version but no connection id
    [InlineData("0A382E30002A000000414243")] // truncated nonce
    [InlineData("0A382E30")] // unterminated version
    public async Task Malformed_handshake_is_a_protocol_error(string hex)
    {
        byte[] payload = Convert.FromHexString(hex);
        await using var server = new FakeServer(c => c.SendPacketAsync(payload));
        var e = await RunClientAsync(server, query: false);
        Assert.IsType<MySqlProtocolException>(e);
    }

    [Fact]
    public async Task Handshake_error_packet_maps_to_server_error()
    {
        await using var server = new FakeServer(c => c.SendPacketAsync(new byte[] { 0xFF, 0x10, 0x04 }.Concat("Too many connections"u8.ToArray()).ToArray()));
        var e = Assert.IsType<MySqlServerException>(await RunClientAsync(server, query: false));
        Assert.Equal(1040, e.ErrorCode);
        Assert.Contains("Too many connections", e.Message);
    }

    [Fact]
    public async Task Truncated_packet_then_close_is_a_protocol_error()
    {
        // Header promises 100 bytes, only 3 arrive.
        await using var server = Serve(new byte[] { 100, 0, 0, 1, 1, 2, 3 });
        var e = await RunClientAsync(server);
        Assert.True(e is MySqlProtocolException { ConnectionLost: true }, e?.ToString());
    }

    [Fact]
    public async Task Out_of_order_sequence_is_a_protocol_error()
    {
        await using var server = Serve(FakeServerConnection.Frame(new byte[] { 2 }, 7));
        Assert.IsType<MySqlProtocolException>(await RunClientAsync(server));
    }

    [Fact]
    public async Task Row_with_length_past_the_packet_end_is_a_protocol_error()
    {
        var packets = ServerPackets.QueryTranscript();
        packets[3] = new byte[] { 1, (byte)'1', 200, (byte)'x' };
        var raw = packets.SelectMany((p, i) => FakeServerConnection.Frame(p, (byte)(i + 1))).ToArray();
        await using var server = Serve(raw);
        Assert.IsType<MySqlProtocolException>(await RunClientAsync(server));
    }

    [Fact]
    public async Task Absurd_column_count_is_a_protocol_error()
    {
        await using var server = Serve(FakeServerConnection.Frame(new byte[] { 0xFC, 0xFF, 0xFF }, 1));
        Assert.IsType<MySqlProtocolException>(await RunClientAsync(server));
    }

    [Fact]
    public async Task Garbage_column_definition_is_a_protocol_error()
    {
        var raw = FakeServerConnection.Frame(new byte[] { 1 }, 1).Concat(FakeServerConnection.Frame(new byte[] { 3, (byte)'d', (byte)'e', (byte)'f', 250 }, 2)).ToArray();
        await using var server = Serve(raw);
        Assert.IsType<MySqlProtocolException>(await RunClientAsync(server));
    }

    [Fact]
    public async Task Unknown_auth_plugin_is_a_protocol_error()
    {
        await using var server = new FakeServer(async c =>
        {
            await c.SendPacketAsync(ServerPackets.Handshake("mystery_plugin"));
            await c.ReceivePacketAsync();
        });
        Assert.IsType<MySqlProtocolException>(await RunClientAsync(server, query: false));
    }

    /// <summary>
    /// Randomly corrupts (flips, truncates, inserts) a valid server transcript. The client
    /// may fail only with the library's own exception types, and each run ends quickly.
    /// </summary>
    [Fact]
    public async Task Fuzzed_transcripts_never_crash_or_hang()
    {
        var random = new Random(20240521);
        var valid = new List<byte[]> { ServerPackets.Handshake(), ServerPackets.Ok() };
        valid.AddRange(ServerPackets.QueryTranscript());
        byte[] transcript = valid.SelectMany((p, i) => FakeServerConnection.Frame(p, (byte)(i == 0 ? 0 : i == 1 ? 2 : i - 1))).ToArray();
        var watch = Stopwatch.StartNew();
        int iterations = 0;
        while (iterations < 300 && watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            iterations++;
            byte[] mutated = Mutate(transcript, random);
            await using var server = new FakeServer(async c =>
            {
                // Interleave with the client's packets loosely: send everything up front, then drain.
                await c.SendRawAsync(mutated);
                var drain = Task.Run(async () =>
                {
                    for (int i = 0; i < 3; i++) await c.ReceivePacketAsync();
                });
                await Task.WhenAny(drain, Task.Delay(300)); // then hang up, whatever the client is waiting for
            });
            var run = Stopwatch.StartNew();
            var e = await RunClientAsync(server);
            Assert.True(run.Elapsed < TimeSpan.FromSeconds(15), $"iteration {iterations} took {run.Elapsed}");
            Assert.True(e is null or MySqlProtocolException or MySqlServerException or ArgumentException or InvalidCastException,
                $"iteration {iterations}: unexpected {e}");
        }
        Assert.True(iterations >= 50, $"only {iterations} iterations ran");
    }

    private static byte[] Mutate(byte[] source, Random random)
    {
        var bytes = source.ToList();
        int edits = random.Next(1, 5);
        for (int i = 0; i < edits; i++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes[at] = (byte)random.Next(256); break;
                case 2: bytes.RemoveRange(at, bytes.Count - at); break;
                default: bytes.Insert(at, (byte)random.Next(256)); break;
            }
            if (bytes.Count == 0) bytes.Add(0);
        }
        return bytes.ToArray();
    }
}
