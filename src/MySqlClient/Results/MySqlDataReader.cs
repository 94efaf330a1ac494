using System;
using System.Collections.Generic;
using System.Buffers.Binary;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.MySqlClient.Protocol;
using SchemaBuild.MySqlClient.Results;

namespace SchemaBuild.MySqlClient;

/// <summary>
/// Forward-only, streaming reader over the result sets of one command. Rows are
/// decoded lazily from the packet buffer: reading a row allocates nothing, and a
/// value is only converted when asked for.
/// </summary>
/// <remarks>
/// Type mapping (text and binary protocol alike): TINYINT sbyte/byte, SMALLINT short/ushort,
/// MEDIUMINT and INT int/uint, BIGINT long/ulong, YEAR int, DECIMAL decimal, FLOAT float,
/// DOUBLE double, DATE DateOnly, DATETIME/TIMESTAMP DateTime (unspecified kind), TIME TimeSpan,
/// BIT ulong, text columns string, binary columns and GEOMETRY byte[], ENUM/SET/JSON string.
/// SQL NULL is null. Zero dates map to MinValue.
/// </remarks>
public sealed class MySqlDataReader : IAsyncDisposable
{
    private enum State { Rows, NextResultPending, Done }

    private readonly ServerSession _session;
    private readonly CommandGuard _guard;
    private readonly bool _binary;
    private State _state;
    private MySqlColumn[] _columns = Array.Empty<MySqlColumn>();
    private ReadOnlyMemory<byte> _row;
    private int[] _starts = Array.Empty<int>();
    private int[] _lengths = Array.Empty<int>();
    private bool _hasRow;
    private bool _disposed;

    private MySqlDataReader(ServerSession session, CommandGuard guard, bool binary)
    {
        _session = session;
        _guard = guard;
        _binary = binary;
    }

    public IReadOnlyList<MySqlColumn> Columns => _columns;
    public int FieldCount => _columns.Length;
    /// <summary>Rows changed by the statements read so far (sum over OK results).</summary>
    public long RecordsAffected { get; private set; }
    public ulong LastInsertId { get; private set; }
    public int WarningCount { get; private set; }

    internal static async Task<MySqlDataReader> StartAsync(ServerSession session, CommandGuard guard, bool binary, CancellationToken cancellationToken)
    {
        var reader = new MySqlDataReader(session, guard, binary);
        try
        {
            using (guard.Enter(cancellationToken))
            {
                await reader.Guard(reader.ReadResultHeaderAsync()).ConfigureAwait(false);
            }
            await reader.ThrowIfStoppedAsync().ConfigureAwait(false);
            return reader;
        }
        catch
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task Guard(Task work)
    {
        try
        {
            await work.ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (_guard.Triggered)
        {
            // The kill did not stop the statement in time and the read was aborted.
            _session.MarkBroken();
            throw _guard.CreateStoppedException(e);
        }
        catch (MySqlException e) when (_guard.Triggered && e.ErrorCode is 1317 or 1927 or 3024 or 1969)
        {
            _state = State.Done;
            throw _guard.CreateStoppedException(e);
        }
        catch (MySqlProtocolException)
        {
            _session.MarkBroken();
            throw;
        }
        catch (MySqlException)
        {
            // An ERR ends the command: nothing more follows on the wire.
            _state = State.Done;
            throw;
        }
        catch (System.IO.IOException)
        {
            _session.MarkBroken();
            throw;
        }
    }

    private async Task ThrowIfStoppedAsync()
    {
        if (!_guard.Triggered) return;
        // The statement was stopped (or finished as the kill arrived): leave the wire clean, then report.
        await Guard(DrainAsync()).ConfigureAwait(false);
        throw _guard.CreateStoppedException();
    }

    private async Task DrainAsync()
    {
        try
        {
            while (_state != State.Done)
            {
                while (_state == State.Rows) await ReadRowAsync().ConfigureAwait(false);
                if (_state == State.NextResultPending) await ReadResultHeaderAsync().ConfigureAwait(false);
            }
        }
        catch (MySqlException)
        {
            _state = State.Done;
        }
    }

    private async Task ReadResultHeaderAsync()
    {
        _hasRow = false;
        var packet = await _session.ReadPacketAsync(_guard.IoToken).ConfigureAwait(false);
        if (packet.Length == 0) throw MySqlProtocolException.Truncated();
        byte first = packet.Span[0];
        if (first == 0x00)
        {
            _columns = Array.Empty<MySqlColumn>();
            ApplyOk(ServerSession.ParseOk(packet.Span), countRows: true);
            return;
        }
        if (first == 0xFF) throw ServerSession.ParseError(packet.Span);
        if (first == 0xFB) throw new MySqlProtocolException("LOCAL INFILE requests are not supported.");
        int count = ServerSession.Guarded(() => new PacketReader(packet.Span).ReadLengthEncodedInt32());
        if (count <= 0 || count > 4096) throw new MySqlProtocolException($"Invalid column count {count}.");
        _columns = await ReadColumnsAsync(_session, count, _guard.IoToken).ConfigureAwait(false);
        if (_starts.Length < count)
        {
            _starts = new int[count];
            _lengths = new int[count];
        }
        _state = State.Rows;
    }

    internal static async Task<MySqlColumn[]> ReadColumnsAsync(ServerSession session, int count, CancellationToken cancellationToken)
    {
        var columns = new MySqlColumn[count];
        for (int i = 0; i < count; i++)
        {
            var def = await session.ReadPacketAsync(cancellationToken).ConfigureAwait(false);
            if (def.Length > 0 && def.Span[0] == 0xFF) throw ServerSession.ParseError(def.Span);
            columns[i] = ServerSession.Guarded(() => MySqlColumn.Parse(def.Span));
        }
        if (!session.DeprecateEof)
        {
            var eof = await session.ReadPacketAsync(cancellationToken).ConfigureAwait(false);
            if (eof.Length == 0 || eof.Span[0] != 0xFE) throw new MySqlProtocolException("Expected EOF after column definitions.");
        }
        return columns;
    }

    private void ApplyOk(OkPacket ok, bool countRows)
    {
        if (countRows) RecordsAffected += (long)ok.AffectedRows;
        if (ok.LastInsertId != 0) LastInsertId = ok.LastInsertId;
        WarningCount += ok.Warnings;
        _state = (ok.Status & ServerStatus.MoreResultsExist) != 0 ? State.NextResultPending : State.Done;
    }

    /// <summary>Advances to the next row of the current result set.</summary>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_state != State.Rows)
        {
            _hasRow = false;
            return false;
        }
        if (!_guard.Triggered && !cancellationToken.CanBeCanceled)
        {
            // Fast path: the whole row is usually buffered already.
            var pending = _session.ReadPacketAsync(_guard.IoToken);
            if (pending.IsCompletedSuccessfully)
            {
                var packet = pending.Result;
                if (packet.Length > 0 && packet.Span[0] is not (0xFE or 0xFF))
                {
                    try
                    {
                        ParseRow(packet);
                    }
                    catch (MySqlProtocolException)
                    {
                        _session.MarkBroken();
                        throw;
                    }
                    return true;
                }
                await Guard(HandleRowPacketAsync(packet)).ConfigureAwait(false);
                return _hasRow;
            }
            await Guard(AwaitRowAsync(pending)).ConfigureAwait(false);
            return _hasRow;
        }
        using (_guard.Enter(cancellationToken))
        {
            await Guard(ReadRowAsync()).ConfigureAwait(false);
        }
        await ThrowIfStoppedAsync().ConfigureAwait(false);
        return _hasRow;
    }

    private async Task AwaitRowAsync(ValueTask<ReadOnlyMemory<byte>> pending) => await HandleRowPacketAsync(await pending.ConfigureAwait(false)).ConfigureAwait(false);

    private async Task ReadRowAsync() => await HandleRowPacketAsync(await _session.ReadPacketAsync(_guard.IoToken).ConfigureAwait(false)).ConfigureAwait(false);

    private Task HandleRowPacketAsync(ReadOnlyMemory<byte> packet)
    {
        var span = packet.Span;
        if (span.Length == 0) throw MySqlProtocolException.Truncated();
        if (span[0] == 0xFF) throw ServerSession.ParseError(span);
        // 0xFE starts the terminating OK/EOF; a text row could only start with it if its first value were 16 MiB or more.
        if (span[0] == 0xFE && span.Length < 0xFFFFFF)
        {
            _hasRow = false;
            ApplyOk(ServerSession.ParseOk(span), countRows: false);
            return Task.CompletedTask;
        }
        ParseRow(packet);
        return Task.CompletedTask;
    }

    private void ParseRow(ReadOnlyMemory<byte> packet)
    {
        _row = packet;
        var span = packet.Span;
        int count = _columns.Length;
        int[] starts = _starts, lengths = _lengths;
        if (_binary)
        {
            int bitmapLength = (count + 9) / 8;
            if (span.Length < 1 + bitmapLength || span[0] != 0) throw new MySqlProtocolException("Malformed binary row.");
            int pos = 1 + bitmapLength;
            for (int i = 0; i < count; i++)
            {
                int bit = i + 2;
                if ((span[1 + (bit >> 3)] & (1 << (bit & 7))) != 0)
                {
                    lengths[i] = -1;
                    continue;
                }
                var (start, length) = BinaryValueDecoder.Locate(span, pos, _columns[i].Type);
                if (start + length > span.Length || length < 0) throw MySqlProtocolException.Truncated();
                starts[i] = start;
                lengths[i] = length;
                pos = start + length;
            }
        }
        else
        {
            int pos = 0;
            for (int i = 0; i < count; i++)
            {
                if (pos >= span.Length) throw MySqlProtocolException.Truncated();
                int b = span[pos++];
                int length;
                if (b < 0xFB)
                {
                    length = b;
                }
                else if (b == 0xFB)
                {
                    lengths[i] = -1;
                    continue;
                }
                else
                {
                    int size = b == 0xFC ? 2 : b == 0xFD ? 3 : 8;
                    if (pos + size > span.Length) throw MySqlProtocolException.Truncated();
                    ulong value = size == 8 ? BinaryPrimitives.ReadUInt64LittleEndian(span.Slice(pos)) : size == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(span.Slice(pos)) : (uint)(span[pos] | span[pos + 1] << 8 | span[pos + 2] << 16);
                    if (b == 0xFF || value > int.MaxValue) throw new MySqlProtocolException("Invalid length in text row.");
                    length = (int)value;
                    pos += size;
                }
                if (pos + length > span.Length) throw MySqlProtocolException.Truncated();
                starts[i] = pos;
                lengths[i] = length;
                pos += length;
            }
        }
        _hasRow = true;
    }

    /// <summary>Moves to the next result set; false when there is none.</summary>
    public async ValueTask<bool> NextResultAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using (_guard.Enter(cancellationToken))
        {
            await Guard(NextResultCoreAsync()).ConfigureAwait(false);
        }
        await ThrowIfStoppedAsync().ConfigureAwait(false);
        return _justAdvanced;
    }

    private bool _justAdvanced;

    private async Task NextResultCoreAsync()
    {
        _justAdvanced = false;
        while (_state == State.Rows) await ReadRowAsync().ConfigureAwait(false);
        if (_state == State.NextResultPending)
        {
            await ReadResultHeaderAsync().ConfigureAwait(false);
            _justAdvanced = true;
        }
        else
        {
            _columns = Array.Empty<MySqlColumn>();
        }
    }

    private ReadOnlySpan<byte> Cell(int ordinal)
    {
        if (!_hasRow) throw new InvalidOperationException("No current row; call ReadAsync first.");
        if ((uint)ordinal >= (uint)_columns.Length) throw new ArgumentOutOfRangeException(nameof(ordinal));
        int length = _lengths[ordinal];
        if (length < 0) throw new InvalidCastException($"Column '{_columns[ordinal].Name}' is NULL.");
        return _row.Span.Slice(_starts[ordinal], length);
    }

    public bool IsDBNull(int ordinal)
    {
        if (!_hasRow) throw new InvalidOperationException("No current row; call ReadAsync first.");
        return _lengths[ordinal] < 0;
    }

    public string GetName(int ordinal) => _columns[ordinal].Name;

    public int GetOrdinal(string name)
    {
        for (int i = 0; i < _columns.Length; i++)
        {
            if (string.Equals(_columns[i].Name, name, StringComparison.OrdinalIgnoreCase)) return i;
        }
        throw new IndexOutOfRangeException($"No column named '{name}'.");
    }

    /// <summary>The value converted per the mapping in the remarks; null for SQL NULL.</summary>
    public object? GetValue(int ordinal)
    {
        if (IsDBNull(ordinal)) return null;
        var column = _columns[ordinal];
        return ServerSession.Guarded(() => DecodeCell(column, ordinal));
    }

    private object DecodeCell(MySqlColumn column, int ordinal)
    {
        var cell = Cell(ordinal);
        return _binary ? BinaryValueDecoder.Decode(cell, column) : TextValueDecoder.Decode(cell, column);
    }

    public T GetFieldValue<T>(int ordinal) => (T)GetValue(ordinal)!;

    public long GetInt64(int ordinal)
    {
        var column = _columns[ordinal];
        var cell = Cell(ordinal);
        if (!_binary)
        {
            return column.Type is MySqlColumnType.Tiny or MySqlColumnType.Short or MySqlColumnType.Int24 or MySqlColumnType.Long
                or MySqlColumnType.LongLong or MySqlColumnType.Year
                ? TextValueDecoder.ParseInt64(cell)
                : Convert.ToInt64(GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);
        }
        return Convert.ToInt64(BinaryValueDecoder.Decode(cell, column), System.Globalization.CultureInfo.InvariantCulture);
    }

    public int GetInt32(int ordinal) => checked((int)GetInt64(ordinal));

    public string GetString(int ordinal)
    {
        var column = _columns[ordinal];
        var cell = Cell(ordinal);
        if (column.Type is MySqlColumnType.VarString or MySqlColumnType.String or MySqlColumnType.VarChar or MySqlColumnType.Blob
            or MySqlColumnType.TinyBlob or MySqlColumnType.MediumBlob or MySqlColumnType.LongBlob or MySqlColumnType.Json)
        {
            return (CharsetEncodings.For(column.CharacterSet) ?? System.Text.Encoding.UTF8).GetString(cell);
        }
        return Convert.ToString(GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    public decimal GetDecimal(int ordinal) => Convert.ToDecimal(GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);
    public double GetDouble(int ordinal) => Convert.ToDouble(GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);
    public DateTime GetDateTime(int ordinal) => GetValue(ordinal) switch
    {
        DateOnly d => d.ToDateTime(TimeOnly.MinValue),
        var v => (DateTime)v!,
    };
    public TimeSpan GetTimeSpan(int ordinal) => (TimeSpan)GetValue(ordinal)!;
    public byte[] GetBytes(int ordinal) => Cell(ordinal).ToArray();

    /// <summary>Reads and discards every remaining row and result; returns the affected-row total.</summary>
    internal async Task<long> ConsumeAsync(CancellationToken cancellationToken)
    {
        do
        {
            while (await ReadAsync(cancellationToken).ConfigureAwait(false))
            {
            }
        }
        while (await NextResultAsync(cancellationToken).ConfigureAwait(false));
        return RecordsAffected;
    }

    /// <summary>Reads every remaining row and result so the connection can run its next command.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            if (_state != State.Done && !_session.IsBroken)
            {
                try
                {
                    await Guard(DrainAsync()).ConfigureAwait(false);
                }
                catch (Exception e) when (e is MySqlException or MySqlProtocolException or System.IO.IOException or OperationCanceledException or TimeoutException)
                {
                    // Disposal must not throw; a broken session is already marked.
                }
            }
        }
        finally
        {
            await _guard.DisposeAsync().ConfigureAwait(false);
            _session.Release();
        }
    }
}
