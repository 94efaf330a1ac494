using System;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.MySqlClient;

namespace SchemaBuild.Runtime.Connections;

/// <summary>
/// A connection URL (<c>mysql://</c>, <c>mariadb://</c>, <c>postgres://</c>): the dialect it names, the
/// parts a session needs, and a display form with the password replaced by <c>***</c>. The password
/// is never part of <see cref="ToString"/>.
/// </summary>
public sealed class ConnectionUrl
{
    private ConnectionUrl(DialectKind dialect, string host, int port, string user, string password, string? database, string? query)
    {
        Dialect = dialect;
        Host = host;
        Port = port;
        User = user;
        Password = password;
        Database = database;
        Query = query;
    }

    public DialectKind Dialect { get; }

    public string Host { get; }

    public int Port { get; }

    public string User { get; }

    /// <summary>The secret: handed to drivers only, never printed, logged or stored.</summary>
    internal string Password { get; }

    public string? Database { get; }

    /// <summary>The query string (without '?'), for driver options such as <c>sslmode</c>.</summary>
    public string? Query { get; }

    /// <summary>The original URL text, for drivers that parse it themselves; contains the password.</summary>
    internal string Secret { get; private init; } = string.Empty;

    /// <summary>Reads a URL; a <see cref="FormatException"/> says what is wrong (never echoing the password).</summary>
    public static ConnectionUrl Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd > 0 ? url.Substring(0, schemeEnd).ToLowerInvariant() : string.Empty;
        DialectKind dialect;
        switch (scheme)
        {
            case "mysql":
                dialect = DialectKind.MySql;
                break;
            case "mariadb":
                dialect = DialectKind.MariaDb;
                break;
            case "postgres":
            case "postgresql":
                dialect = DialectKind.Postgres;
                break;
            default:
                throw new FormatException("a connection URL starts with mysql://, mariadb:// or postgres://, e.g. postgres://user:password@host:5432/database");
        }

        if (dialect != DialectKind.Postgres)
        {
            var options = MySqlConnectionOptions.Parse(url);
            return new ConnectionUrl(dialect, options.Host, options.Port, options.User, options.Password, options.Database, QueryOf(url)) { Secret = url };
        }

        var rest = url.Substring(schemeEnd + 3);
        string? query = null;
        var q = rest.IndexOf('?');
        if (q >= 0)
        {
            query = rest.Substring(q + 1);
            rest = rest.Substring(0, q);
        }

        string user = string.Empty, password = string.Empty;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest.Substring(0, at);
            rest = rest.Substring(at + 1);
            var colon = userInfo.IndexOf(':');
            user = Uri.UnescapeDataString(colon >= 0 ? userInfo.Substring(0, colon) : userInfo);
            password = colon >= 0 ? Uri.UnescapeDataString(userInfo.Substring(colon + 1)) : string.Empty;
        }

        string? database = null;
        var slash = rest.IndexOf('/');
        if (slash >= 0)
        {
            var name = Uri.UnescapeDataString(rest.Substring(slash + 1));
            database = name.Length == 0 ? null : name;
            rest = rest.Substring(0, slash);
        }

        var port = 5432;
        var host = rest;
        var portColon = rest.LastIndexOf(':');
        if (portColon >= 0 && !rest.EndsWith("]", StringComparison.Ordinal))
        {
            host = rest.Substring(0, portColon);
            if (!int.TryParse(rest.Substring(portColon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) || port is <= 0 or > 65535)
            {
                throw new FormatException($"the port in the connection URL for host '{host}' is not a number between 1 and 65535");
            }
        }

        host = host.Trim('[', ']');
        if (host.Length == 0)
        {
            host = "localhost";
        }

        return new ConnectionUrl(dialect, host, port, user, password, database, query) { Secret = url };
    }

    /// <summary>The same URL pointing at another database (tests and tools that create databases).</summary>
    public ConnectionUrl WithDatabase(string database) =>
        new(Dialect, Host, Port, User, Password, database, Query) { Secret = ReplaceDatabase(Secret, database) };

    /// <summary>Replaces every occurrence of the password (raw or URL-escaped) in a text with <c>***</c>: for messages that may quote the URL.</summary>
    public string Redact(string text)
    {
        if (Password.Length == 0 || string.IsNullOrEmpty(text))
        {
            return text;
        }

        return text.Replace(Password, "***", StringComparison.Ordinal).Replace(Uri.EscapeDataString(Password), "***", StringComparison.Ordinal);
    }

    /// <summary>The URL with the password replaced by <c>***</c>.</summary>
    public override string ToString()
    {
        var scheme = DialectNames.Of(Dialect);
        var userInfo = User.Length == 0 ? string.Empty : Uri.EscapeDataString(User) + (Password.Length > 0 ? ":***" : string.Empty) + "@";
        var host = Host.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host;
        return $"{scheme}://{userInfo}{host}:{Port}/{Uri.EscapeDataString(Database ?? string.Empty)}";
    }

    private static string? QueryOf(string url)
    {
        var q = url.IndexOf('?');
        return q >= 0 ? url.Substring(q + 1) : null;
    }

    private static string ReplaceDatabase(string url, string database)
    {
        var q = url.IndexOf('?');
        var query = q >= 0 ? url.Substring(q) : string.Empty;
        var body = q >= 0 ? url.Substring(0, q) : url;
        var start = body.IndexOf("://", StringComparison.Ordinal) + 3;
        var at = body.LastIndexOf('@');
        var slash = body.IndexOf('/', Math.Max(start, at + 1));
        var head = slash >= 0 ? body.Substring(0, slash) : body;
        return head + "/" + Uri.EscapeDataString(database) + query;
    }
}
