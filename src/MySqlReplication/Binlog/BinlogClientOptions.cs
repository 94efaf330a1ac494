using System;

namespace SchemaBuild.MySqlReplication.Binlog;

/// <summary>How a <see cref="BinlogClient"/> connects, where it starts and how it recovers.</summary>
public sealed record BinlogClientOptions(MySqlConnectionOptions Connection, BinlogStartPosition Start)
{
    /// <summary>Replica id announced to the server; must be unique among its replicas. Defaults to the URL's server_id or a fixed id.</summary>
    public uint ServerId { get; init; } = Connection.ServerId ?? 0x5B_0001;
    /// <summary>Idle period after which the server sends a heartbeat; null disables heartbeats.</summary>
    public TimeSpan? HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>No event (not even a heartbeat) for this long means the connection is dead; reconnect.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Reconnect and resume from the last position after a dropped connection.</summary>
    public bool Reconnect { get; init; } = true;
    public int MaxReconnectAttempts { get; init; } = 10;
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(500);
    /// <summary>End the stream when the reader reaches the end of the binlog instead of waiting for new events.</summary>
    public bool StopAtEnd { get; init; }
    public bool VerifyChecksums { get; init; } = true;
    /// <summary>
    /// Which tables' row images to decode, by (database, table); null decodes all. A rows event of a
    /// table it rejects still arrives (its position and transaction count), with no rows: a reader that
    /// follows a few tables does not pay for decoding the others (a table copy writes millions of rows).
    /// </summary>
    public Func<string, string, bool>? DecodeRowsOf { get; init; }
}
