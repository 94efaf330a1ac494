using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.MySqlClient.Protocol;

namespace SchemaBuild.MySqlClient;

/// <summary>
/// A server-side prepared statement (binary protocol). Parameter values travel
/// as typed binary values in COM_STMT_EXECUTE and are never spliced into SQL text.
/// </summary>
public sealed class MySqlPreparedStatement : IAsyncDisposable
{
    private readonly ServerSession _session;
    private bool _closed;

    private MySqlPreparedStatement(ServerSession session, uint id, int parameterCount, MySqlColumn[] columns)
    {
        _session = session;
        StatementId = id;
        ParameterCount = parameterCount;
        Columns = columns;
    }

    internal uint StatementId { get; }
    public int ParameterCount { get; }
    public IReadOnlyList<MySqlColumn> Columns { get; }

    internal static async Task<MySqlPreparedStatement> PrepareAsync(ServerSession session, string sql, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        session.Acquire();
        var guard = new CommandGuard(session, session.Options.CommandTimeout);
        try
        {
            using (guard.Enter(cancellationToken))
            {
                await session.SendCommandAsync(ServerSession.ComStmtPrepare, sql, CancellationToken.None).ConfigureAwait(false);
                var packet = await session.ReadPacketAsync(guard.IoToken).ConfigureAwait(false);
                if (packet.Length > 0 && packet.Span[0] == 0xFF) throw ServerSession.ParseError(packet.Span);
                var (id, columnCount, parameterCount) = ServerSession.Guarded(() =>
                {
                    var r = new PacketReader(packet.Span);
                    if (r.ReadByte() != 0) throw new MySqlProtocolException("Unexpected prepare response.");
                    uint statementId = r.ReadUInt32();
                    int columns = r.ReadUInt16();
                    int parameters = r.ReadUInt16();
                    return (statementId, columns, parameters);
                });
                if (parameterCount > 0) await MySqlDataReader.ReadColumnsAsync(session, parameterCount, guard.IoToken).ConfigureAwait(false);
                var columns = columnCount > 0
                    ? await MySqlDataReader.ReadColumnsAsync(session, columnCount, guard.IoToken).ConfigureAwait(false)
                    : Array.Empty<MySqlColumn>();
                return new MySqlPreparedStatement(session, id, parameterCount, columns);
            }
        }
        catch (OperationCanceledException e) when (guard.Triggered)
        {
            session.MarkBroken();
            throw guard.CreateStoppedException(e);
        }
        catch (Exception e) when (e is MySqlProtocolException or System.IO.IOException)
        {
            session.MarkBroken();
            throw;
        }
        finally
        {
            await guard.DisposeAsync().ConfigureAwait(false);
            session.Release();
        }
    }

    /// <summary>Executes with the given parameter values and streams the result.</summary>
    public async Task<MySqlDataReader> QueryAsync(IReadOnlyList<object?> parameters, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count != ParameterCount)
        {
            throw new ArgumentException($"The statement has {ParameterCount} parameters but {parameters.Count} values were given.", nameof(parameters));
        }
        cancellationToken.ThrowIfCancellationRequested();
        _session.Acquire();
        var guard = new CommandGuard(_session, _session.Options.CommandTimeout);
        try
        {
            var writer = _session.BeginCommand(ServerSession.ComStmtExecute).WriteUInt32(StatementId).WriteByte(0).WriteUInt32(1);
            if (ParameterCount > 0) WriteParameters(writer, parameters);
            await _session.SendAsync(writer, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            if (e is not (ArgumentException or NotSupportedException)) _session.MarkBroken();
            await guard.DisposeAsync().ConfigureAwait(false);
            _session.Release();
            throw;
        }
        return await MySqlDataReader.StartAsync(_session, guard, binary: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Executes and returns the number of affected rows.</summary>
    public async Task<long> ExecuteAsync(IReadOnlyList<object?> parameters, CancellationToken cancellationToken = default)
    {
        await using var reader = await QueryAsync(parameters, cancellationToken).ConfigureAwait(false);
        return await reader.ConsumeAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void WriteParameters(PacketWriter writer, IReadOnlyList<object?> parameters)
    {
        int count = parameters.Count;
        int bitmapStart = writer.Length;
        writer.WriteZeros((count + 7) / 8);
        writer.WriteByte(1); // new parameters bound: types follow
        for (int i = 0; i < count; i++)
        {
            var (type, unsigned) = TypeOf(parameters[i]);
            writer.WriteByte((byte)type).WriteByte(unsigned ? (byte)0x80 : (byte)0);
        }
        for (int i = 0; i < count; i++)
        {
            object? value = parameters[i];
            if (value is null or DBNull)
            {
                writer.RawBuffer[PacketWriter.HeaderSize + bitmapStart + i / 8] |= (byte)(1 << (i % 8));
                continue;
            }
            WriteValue(writer, value);
        }
    }

    private static (MySqlColumnType Type, bool Unsigned) TypeOf(object? value) => value switch
    {
        null or DBNull => (MySqlColumnType.Null, false),
        bool or sbyte => (MySqlColumnType.Tiny, false),
        byte => (MySqlColumnType.Tiny, true),
        short => (MySqlColumnType.Short, false),
        ushort => (MySqlColumnType.Short, true),
        int => (MySqlColumnType.Long, false),
        uint => (MySqlColumnType.Long, true),
        long or Enum => (MySqlColumnType.LongLong, false),
        ulong => (MySqlColumnType.LongLong, true),
        float => (MySqlColumnType.Float, false),
        double => (MySqlColumnType.Double, false),
        decimal => (MySqlColumnType.NewDecimal, false),
        DateTime or DateTimeOffset => (MySqlColumnType.DateTime, false),
        DateOnly => (MySqlColumnType.Date, false),
        TimeSpan or TimeOnly => (MySqlColumnType.Time, false),
        byte[] or ReadOnlyMemory<byte> or Memory<byte> => (MySqlColumnType.Blob, false),
        string or Guid or char => (MySqlColumnType.VarString, false),
        _ => throw new NotSupportedException($"Parameter values of type {value.GetType().Name} are not supported."),
    };

    private static void WriteValue(PacketWriter writer, object value)
    {
        switch (value)
        {
            case bool b: writer.WriteByte(b ? (byte)1 : (byte)0); break;
            case sbyte sb: writer.WriteByte((byte)sb); break;
            case byte by: writer.WriteByte(by); break;
            case short s: writer.WriteUInt16((ushort)s); break;
            case ushort us: writer.WriteUInt16(us); break;
            case int i: writer.WriteUInt32((uint)i); break;
            case uint ui: writer.WriteUInt32(ui); break;
            case long l: writer.WriteUInt64((ulong)l); break;
            case ulong ul: writer.WriteUInt64(ul); break;
            case Enum e: writer.WriteUInt64((ulong)Convert.ToInt64(e, CultureInfo.InvariantCulture)); break;
            case float f: writer.WriteUInt32(BitConverter.SingleToUInt32Bits(f)); break;
            case double d: writer.WriteUInt64(BitConverter.DoubleToUInt64Bits(d)); break;
            case decimal m: writer.WriteLengthEncodedString(m.ToString(CultureInfo.InvariantCulture)); break;
            case DateTime dt: WriteDateTime(writer, dt); break;
            case DateTimeOffset dto: WriteDateTime(writer, dto.UtcDateTime); break;
            case DateOnly date: writer.WriteByte(4).WriteUInt16((ushort)date.Year).WriteByte((byte)date.Month).WriteByte((byte)date.Day); break;
            case TimeSpan ts: WriteTime(writer, ts); break;
            case TimeOnly to: WriteTime(writer, to.ToTimeSpan()); break;
            case byte[] bytes: writer.WriteLengthEncodedBytes(bytes); break;
            case ReadOnlyMemory<byte> rom: writer.WriteLengthEncodedBytes(rom.Span); break;
            case Memory<byte> mem: writer.WriteLengthEncodedBytes(mem.Span); break;
            case string str: writer.WriteLengthEncodedString(str); break;
            case Guid g: writer.WriteLengthEncodedString(g.ToString()); break;
            case char c: writer.WriteLengthEncodedString(c.ToString()); break;
        }
    }

    private static void WriteDateTime(PacketWriter writer, DateTime dt)
    {
        int micro = (int)(dt.Ticks % TimeSpan.TicksPerSecond / 10);
        writer.WriteByte(11).WriteUInt16((ushort)dt.Year).WriteByte((byte)dt.Month).WriteByte((byte)dt.Day)
            .WriteByte((byte)dt.Hour).WriteByte((byte)dt.Minute).WriteByte((byte)dt.Second).WriteUInt32((uint)micro);
    }

    private static void WriteTime(PacketWriter writer, TimeSpan ts)
    {
        bool negative = ts < TimeSpan.Zero;
        if (negative) ts = ts.Duration();
        writer.WriteByte(12).WriteByte(negative ? (byte)1 : (byte)0).WriteUInt32((uint)ts.Days)
            .WriteByte((byte)ts.Hours).WriteByte((byte)ts.Minutes).WriteByte((byte)ts.Seconds)
            .WriteUInt32((uint)(ts.Ticks % TimeSpan.TicksPerSecond / 10));
    }

    /// <summary>Deallocates the statement on the server (COM_STMT_CLOSE has no response).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_closed) return;
        _closed = true;
        if (_session.IsBroken) return;
        try
        {
            _session.Acquire();
        }
        catch (InvalidOperationException)
        {
            return; // busy or broken: the server frees the statement when the connection ends
        }
        try
        {
            await _session.SendAsync(_session.BeginCommand(ServerSession.ComStmtClose).WriteUInt32(StatementId), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.IO.IOException or MySqlProtocolException or ObjectDisposedException)
        {
            _session.MarkBroken();
        }
        finally
        {
            _session.Release();
        }
    }
}
