using System;

namespace SchemaBuild.MySqlReplication;

/// <summary>The server sent bytes that do not follow the protocol, or the connection broke mid-exchange.</summary>
public sealed class MySqlProtocolException : Exception
{
    public MySqlProtocolException(string message, bool connectionLost = false, Exception? innerException = null)
        : base(message, innerException)
    {
        ConnectionLost = connectionLost;
    }

    /// <summary>True when the transport closed; a replication client may reconnect and resume.</summary>
    public bool ConnectionLost { get; }

    internal static MySqlProtocolException Truncated() => new("Packet is truncated or malformed.");
}
