using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Security.Authentication;

namespace SchemaBuild.Runtime.Connections;

/// <summary>
/// A session could not be opened. The message names the target (password replaced by <c>***</c>),
/// says what happened and what to do; every driver message in it is redacted. The driver's
/// exception is kept as <see cref="Exception.InnerException"/> only when no part of it quotes the
/// password, so logging <c>ToString()</c> is safe too.
/// </summary>
public sealed class ConnectionFailedException : Exception
{
    private ConnectionFailedException(string message, ConnectionFailureKind kind, string target, Exception? inner)
        : base(message, inner)
    {
        Kind = kind;
        Target = target;
    }

    public ConnectionFailureKind Kind { get; }

    /// <summary>The connection URL with the password replaced by <c>***</c>.</summary>
    public string Target { get; }

    /// <summary>
    /// Wraps a driver failure. <paramref name="engineKind"/> is what the engine's session recognised
    /// from its own error codes (authentication, unknown database); TLS and network failures are
    /// recognised here, from the exception chain.
    /// </summary>
    public static ConnectionFailedException From(ConnectionUrl url, Exception exception, ConnectionFailureKind? engineKind)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(exception);
        // A failed TLS handshake wins over the driver's generic "could not connect" code.
        var kind = Classify(exception) == ConnectionFailureKind.Tls ? ConnectionFailureKind.Tls : engineKind ?? Classify(exception);
        var what = url.RedactedMessage(exception);
        var advice = kind switch
        {
            ConnectionFailureKind.Unreachable => $"cannot reach the server at {url.Host}:{url.Port} ({what}). Check the host and port in the URL and that the server is running and accepts connections from here.",
            ConnectionFailureKind.Authentication => $"the server refused the credentials of user '{url.User}' ({what}). Check the user name and the password (in the connection, or from PGPASSWORD / ~/.pgpass, MYSQL_PWD / the defaults-file).",
            ConnectionFailureKind.UnknownDatabase => $"database '{url.Database}' does not exist on {url.Host}:{url.Port} or the user may not use it ({what}). Create it, or fix the database name after the port in the URL.",
            ConnectionFailureKind.Tls => $"the TLS handshake with {url.Host}:{url.Port} failed ({what}). Check sslmode in the URL and that the server's certificate is trusted (sslca=/path/ca.pem for MySQL/MariaDB).",
            _ => $"could not connect ({what}). Check the URL and that the user may connect.",
        };
        var secret = url.Redact(exception.ToString()) != exception.ToString();
        return new ConnectionFailedException($"{url}: {advice}", kind, url.ToString(), secret ? null : exception);
    }

    private static ConnectionFailureKind Classify(Exception exception)
    {
        foreach (var e in Chain(exception))
        {
            if (e is AuthenticationException)
            {
                return ConnectionFailureKind.Tls;
            }
        }

        foreach (var e in Chain(exception))
        {
            if (e is SocketException or TimeoutException or IOException)
            {
                return ConnectionFailureKind.Unreachable;
            }
        }

        return ConnectionFailureKind.Other;
    }

    internal static IEnumerable<Exception> Chain(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
