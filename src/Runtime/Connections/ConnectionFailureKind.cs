namespace SchemaBuild.Runtime.Connections;

/// <summary>Why a session could not be opened: each kind has its own advice.</summary>
public enum ConnectionFailureKind
{
    /// <summary>No server answered at the host and port (refused, unknown host, timeout, network).</summary>
    Unreachable,

    /// <summary>The server refused the user name or password.</summary>
    Authentication,

    /// <summary>The database named in the URL does not exist (or the user may not use it).</summary>
    UnknownDatabase,

    /// <summary>The TLS handshake failed: certificate not trusted, name mismatch, CA file unreadable, TLS required but not offered.</summary>
    Tls,

    /// <summary>Anything else the server or driver reported while connecting.</summary>
    Other,
}
