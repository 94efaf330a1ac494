using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace SchemaBuild.MySqlReplication.Protocol;

/// <summary>
/// Packet framing over a byte stream (plain socket or TLS). Reads into one large
/// buffer and hands out payload slices without copying; a slice is valid until
/// the next read. Packets of 16 MiB or more arrive split and are reassembled.
/// </summary>
internal sealed class PacketChannel : IAsyncDisposable
{
    private const int MaxPayloadChunk = 0xFFFFFF;
    private Stream _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;

    public PacketChannel(Stream stream, int bufferSize = 128 * 1024)
    {
        _stream = stream;
        _buffer = new byte[bufferSize];
    }

    /// <summary>Sequence id expected on the next packet read or used on the next packet written.</summary>
    public byte Sequence { get; set; }

    public Stream Stream => _stream;

    /// <summary>Swaps the transport (TLS upgrade). Only valid when nothing is buffered.</summary>
    public void ReplaceStream(Stream stream)
    {
        if (_end != _start) throw new MySqlProtocolException("Server sent data before the TLS handshake.");
        _stream = stream;
    }

    public ValueTask<ReadOnlyMemory<byte>> ReadPacketAsync(CancellationToken cancellationToken)
    {
        // Fast path: a whole packet is already buffered, so no state machine is needed.
        int available = _end - _start;
        if (available >= 4)
        {
            int length = _buffer[_start] | (_buffer[_start + 1] << 8) | (_buffer[_start + 2] << 16);
            if (length < MaxPayloadChunk && available >= 4 + length)
            {
                CheckSequence(_buffer[_start + 3]);
                var payload = new ReadOnlyMemory<byte>(_buffer, _start + 4, length);
                _start += 4 + length;
                return new ValueTask<ReadOnlyMemory<byte>>(payload);
            }
        }
        return ReadPacketSlowAsync(cancellationToken);
    }

    private void CheckSequence(byte actual)
    {
        if (actual != Sequence)
        {
            throw new MySqlProtocolException($"Packet out of order: expected sequence {Sequence}, got {actual}.");
        }
        Sequence = (byte)(actual + 1);
    }

    private async ValueTask<ReadOnlyMemory<byte>> ReadPacketSlowAsync(CancellationToken cancellationToken)
    {
        byte[]? assembled = null;
        int assembledLength = 0;
        while (true)
        {
            await EnsureBufferedAsync(4, cancellationToken).ConfigureAwait(false);
            int length = _buffer[_start] | (_buffer[_start + 1] << 8) | (_buffer[_start + 2] << 16);
            CheckSequence(_buffer[_start + 3]);
            _start += 4;
            await EnsureBufferedAsync(length, cancellationToken).ConfigureAwait(false);
            if (assembled is null && length < MaxPayloadChunk)
            {
                var payload = new ReadOnlyMemory<byte>(_buffer, _start, length);
                _start += length;
                return payload;
            }
            if (assembled is null || assembled.Length < assembledLength + length)
            {
                Array.Resize(ref assembled, Math.Max((assembled?.Length ?? 0) * 2, assembledLength + length + 1024));
            }
            Buffer.BlockCopy(_buffer, _start, assembled, assembledLength, length);
            assembledLength += length;
            _start += length;
            if (length < MaxPayloadChunk) return new ReadOnlyMemory<byte>(assembled, 0, assembledLength);
        }
    }

    private async ValueTask EnsureBufferedAsync(int count, CancellationToken cancellationToken)
    {
        if (_end - _start >= count) return;
        if (_buffer.Length - _start < count)
        {
            // Compact, and grow when a single packet is larger than the buffer.
            if (_buffer.Length < count)
            {
                var bigger = new byte[Math.Max(count, _buffer.Length * 2)];
                Buffer.BlockCopy(_buffer, _start, bigger, 0, _end - _start);
                _buffer = bigger;
            }
            else
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            }
            _end -= _start;
            _start = 0;
        }
        while (_end - _start < count)
        {
            int read;
            try
            {
                read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new MySqlProtocolException("The connection to the server was lost.", connectionLost: true, innerException: e);
            }
            if (read == 0)
            {
                throw new MySqlProtocolException("The server closed the connection.", connectionLost: true);
            }
            _end += read;
        }
    }

    /// <summary>Sends the payload built in <paramref name="writer"/>, splitting at 16 MiB.</summary>
    public async ValueTask WritePacketAsync(PacketWriter writer, CancellationToken cancellationToken)
    {
        try
        {
            await WriteCoreAsync(writer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new MySqlProtocolException("The connection to the server was lost.", connectionLost: true, innerException: e);
        }
    }

    private async ValueTask WriteCoreAsync(PacketWriter writer, CancellationToken cancellationToken)
    {
        byte[] buffer = writer.RawBuffer;
        int payloadLength = writer.Length;
        if (payloadLength < MaxPayloadChunk)
        {
            WriteHeader(buffer, 0, payloadLength);
            await _stream.WriteAsync(buffer.AsMemory(0, payloadLength + 4), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            int offset = PacketWriter.HeaderSize;
            int remaining = payloadLength;
            var header = new byte[4];
            while (true)
            {
                int chunk = Math.Min(remaining, MaxPayloadChunk);
                WriteHeader(header, 0, chunk);
                await _stream.WriteAsync(header, cancellationToken).ConfigureAwait(false);
                await _stream.WriteAsync(buffer.AsMemory(offset, chunk), cancellationToken).ConfigureAwait(false);
                offset += chunk;
                remaining -= chunk;
                if (chunk < MaxPayloadChunk) break;
            }
        }
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private void WriteHeader(byte[] target, int offset, int length)
    {
        target[offset] = (byte)length;
        target[offset + 1] = (byte)(length >> 8);
        target[offset + 2] = (byte)(length >> 16);
        target[offset + 3] = Sequence++;
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
