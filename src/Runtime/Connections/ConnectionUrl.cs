using System;
using System.Collections.Generic;
using System.Text;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.MySqlReplication;

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
            user = Decode(colon >= 0 ? userInfo.Substring(0, colon) : userInfo, "user");
            password = colon >= 0 ? Decode(userInfo.Substring(colon + 1), "password") : string.Empty;
        }

        string? database = null;
        var slash = rest.IndexOf('/');
        if (slash >= 0)
        {
            var name = Decode(rest.Substring(slash + 1), "database");
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

        foreach (var (name, value) in QueryParameters(query))
        {
            if (name.Equals("sslmode", StringComparison.OrdinalIgnoreCase) && PostgresSslMode(value) is null)
            {
                throw new FormatException($"sslmode '{value}' in the connection URL is not one of disable, allow, prefer, require, verify-ca, verify-full");
            }
        }

        return new ConnectionUrl(dialect, host, port, user, password, database, query) { Secret = url };
    }

    /// <summary>The query string's name/value pairs, unescaped.</summary>
    public IEnumerable<(string Name, string Value)> QueryParameters() => QueryParameters(Query);

    /// <summary>The PostgreSQL <c>sslmode</c> value in its canonical spelling (<c>verify-full</c>), or null when it is not one.</summary>
    public static string? PostgresSslMode(string value) =>
        value.ToLowerInvariant().Replace('_', '-') switch
        {
            "disable" or "disabled" => "disable",
            "allow" => "allow",
            "prefer" or "preferred" => "prefer",
            "require" or "required" => "require",
            "verify-ca" or "verifyca" => "verify-ca",
            "verify-full" or "verifyfull" => "verify-full",
            _ => null,
        };

    /// <summary>The database the URL names; a <see cref="FormatException"/> when it names none (sessions need one).</summary>
    public string RequireDatabase()
    {
        if (string.IsNullOrEmpty(Database))
        {
            var example = Dialect == DialectKind.Postgres ? "postgres://user@host:5432/shop" : DialectNames.Of(Dialect) + "://user@host:3306/shop";
            throw new FormatException($"the connection URL {this} names no database; add it after the port, e.g. {example}");
        }

        return Database;
    }

    /// <summary>
    /// The messages of an exception and its inner exceptions (drivers often put the cause in an
    /// inner one, e.g. Npgsql's "Exception while performing SSL handshake"), each said once and
    /// joined with ": ", with the password redacted.
    /// </summary>
    public string RedactedMessage(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var text = new StringBuilder();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var message = e.Message.Trim().TrimEnd('.');
            if (message.Length == 0 || text.ToString().Contains(message, StringComparison.Ordinal))
            {
                continue;
            }

            text.Append(text.Length == 0 ? string.Empty : ": ").Append(message);
        }

        return Redact(text.ToString());
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

    private static IEnumerable<(string Name, string Value)> QueryParameters(string? query)
    {
        if (string.IsNullOrEmpty(query))
        {
            yield break;
        }

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            yield return eq < 0 ? (Decode(pair, "option"), string.Empty) : (Decode(pair.Substring(0, eq), "option"), Decode(pair.Substring(eq + 1), "option"));
        }
    }

    /// <summary>Unescapes one part of the URL; a bad escape is an error that never echoes the text (it may be the password).</summary>
    private static string Decode(string text, string part)
    {
        for (var i = text.IndexOf('%'); i >= 0; i = text.IndexOf('%', i + 1))
        {
            if (i + 2 >= text.Length || !Uri.IsHexDigit(text[i + 1]) || !Uri.IsHexDigit(text[i + 2]))
            {
                throw new FormatException($"invalid percent-encoding in the {part} of the connection URL; write a literal % as %25");
            }
        }

        return Uri.UnescapeDataString(text);
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
