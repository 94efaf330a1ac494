using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Runtime.Connections;

/// <summary>
/// A target database: a URL (<c>mysql://</c>, <c>mariadb://</c>, <c>postgres://</c>) or an ADO.NET
/// connection string (Npgsql or MySqlConnector keywords). Holds the dialect it names, the parts a
/// session needs, the password (from the text, or from the engine's own conventions when the text
/// has none: <c>PGPASSWORD</c>, <c>~/.pgpass</c>, <c>MYSQL_PWD</c>, an option file) and a display
/// form with the password replaced by <c>***</c>. The password is never part of
/// <see cref="ToString"/> or of a parse error.
/// </summary>
public sealed class ConnectionUrl
{
    private readonly IReadOnlyList<(string Name, string Value)> options;

    private ConnectionUrl(DialectKind dialect, string host, int port, string user, string password, string? database, IReadOnlyList<(string Name, string Value)> options)
    {
        Dialect = dialect;
        Host = host;
        Port = port;
        User = user;
        Password = password;
        Database = database;
        this.options = options;
    }

    public DialectKind Dialect { get; }

    public string Host { get; }

    public int Port { get; }

    public string User { get; }

    /// <summary>The secret: handed to drivers only, never printed, logged or stored.</summary>
    internal string Password { get; private init; }

    /// <summary>Where the password came from: the text itself, the environment or a file (or nowhere).</summary>
    public PasswordSource PasswordSource { get; private init; }

    public string? Database { get; }

    /// <summary>The CA file that verifies the server's certificate (URL option, <c>PGSSLROOTCERT</c> or the option file's <c>ssl-ca</c>).</summary>
    public string? CertificateAuthorityFile { get; private init; }

    /// <summary>The text as given, for tests and tools that hand it on; contains the password.</summary>
    internal string Secret { get; private init; } = string.Empty;

    /// <summary>The ADO.NET connection string the target was given as, or null for a URL; contains the password.</summary>
    internal string? ConnectionString { get; private init; }

    /// <summary>Reads a URL or connection string; a <see cref="FormatException"/> says what is wrong (never echoing the password).</summary>
    public static ConnectionUrl Parse(string text) => Parse(text, Environment.GetEnvironmentVariable);

    /// <summary>As <see cref="Parse(string)"/>, with the environment variables (and so the password files) read through <paramref name="environment"/>.</summary>
    public static ConnectionUrl Parse(string text, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(environment);
        var parsed = text.Contains("://", StringComparison.Ordinal) ? ParseUrl(text) : AdoConnectionStrings.Parse(text);
        return CredentialSources.Complete(parsed, environment);
    }

    internal static ConnectionUrl Create(DialectKind dialect, string host, int port, string user, string password, string? database, IReadOnlyList<(string Name, string Value)> options, string secret, string? connectionString) =>
        new(dialect, host, port, user, password, database, options)
        {
            Secret = secret,
            ConnectionString = connectionString,
            PasswordSource = password.Length > 0 ? PasswordSource.Text : PasswordSource.None,
        };

    internal ConnectionUrl WithCredentials(string user, string password, PasswordSource source, string? certificateAuthorityFile) =>
        new(Dialect, Host, Port, user, password, Database, options)
        {
            Secret = Secret, ConnectionString = ConnectionString, PasswordSource = source, CertificateAuthorityFile = certificateAuthorityFile,
        };

    /// <summary>The URL's options (names in their canonical spelling, e.g. <c>sslmode</c>, <c>ssl-ca</c>), unescaped; none for a connection string.</summary>
    public IEnumerable<(string Name, string Value)> QueryParameters() => options;

    /// <summary>The value of one option in its canonical name, or null.</summary>
    public string? Option(string name) => options.LastOrDefault(o => o.Name == name).Value;

    /// <summary>The <c>sslmode</c> value in its canonical spelling (<c>verify-full</c>), or null when it is not one.</summary>
    public static string? PostgresSslMode(string value) =>
        value.ToLowerInvariant().Replace('_', '-') switch
        {
            "disable" or "disabled" => "disable",
            "allow" => "allow",
            "prefer" or "preferred" => "prefer",
            "require" or "required" => "require",
            "verify-ca" or "verifyca" => "verify-ca",
            "verify-full" or "verifyfull" or "verify-identity" => "verify-full",
            _ => null,
        };

    /// <summary>The database the URL names; a <see cref="FormatException"/> when it names none (sessions need one).</summary>
    public string RequireDatabase()
    {
        if (string.IsNullOrEmpty(Database))
        {
            var example = Dialect == DialectKind.Postgres ? "postgres://user@host:5432/shop" : DialectNames.Of(Dialect) + "://user@host:3306/shop";
            throw new FormatException($"the connection {this} names no database; add it after the port, e.g. {example} (Database=shop in a connection string)");
        }

        return Database;
    }

    /// <summary>
    /// The messages of an exception and its inner exceptions (drivers often put the cause in an
    /// inner one, e.g. Npgsql's "Exception while performing SSL handshake"), each said once and
    /// joined with ": ", with the connection's secret forms redacted.
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

    /// <summary>The same target pointing at another database (tests and tools that create databases).</summary>
    public ConnectionUrl WithDatabase(string database)
    {
        if (ConnectionString is not null)
        {
            var changed = AdoConnectionStrings.WithDatabase(ConnectionString, Dialect, database);
            return new ConnectionUrl(Dialect, Host, Port, User, Password, database, options)
            {
                Secret = changed, ConnectionString = changed, PasswordSource = PasswordSource, CertificateAuthorityFile = CertificateAuthorityFile,
            };
        }

        return new ConnectionUrl(Dialect, Host, Port, User, Password, database, options)
        {
            Secret = ReplaceDatabase(Secret, database), PasswordSource = PasswordSource, CertificateAuthorityFile = CertificateAuthorityFile,
        };
    }

    /// <summary>
    /// Replaces the forms in which this connection's password can appear in a message (the text it
    /// was given as, <c>user:password@</c>, <c>Password=…</c>) with their redacted forms. Works on
    /// the structure, not on the bare password: a short password never blanks out other words.
    /// </summary>
    public string Redact(string text)
    {
        if (string.IsNullOrEmpty(text) || Password.Length == 0)
        {
            return text;
        }

        if (Secret.Length > 0)
        {
            text = text.Replace(Secret, ToString(), StringComparison.Ordinal);
        }

        foreach (var form in new[] { Password, Uri.EscapeDataString(Password) }.Distinct())
        {
            text = text.Replace(":" + form + "@", ":***@", StringComparison.Ordinal);
            foreach (var key in new[] { "Password=", "Pwd=" })
            {
                text = ReplaceIgnoreCase(text, key + form, key + "***");
            }
        }

        return text;
    }

    /// <summary>The target as a URL with the password replaced by <c>***</c>.</summary>
    public override string ToString()
    {
        var scheme = DialectNames.Of(Dialect);
        var userInfo = User.Length == 0 ? string.Empty : Uri.EscapeDataString(User) + (Password.Length > 0 ? ":***" : string.Empty) + "@";
        var host = Host.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host;
        return $"{scheme}://{userInfo}{host}:{Port.ToString(CultureInfo.InvariantCulture)}/{Uri.EscapeDataString(Database ?? string.Empty)}";
    }

    /// <summary>
    /// Splits a URL. The host part starts after the last '@', so a password may hold a raw '?',
    /// '@', '/', ':' or '#'; no message quotes the user-info part.
    /// </summary>
    private static ConnectionUrl ParseUrl(string text)
    {
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        var dialect = text.Substring(0, schemeEnd).ToLowerInvariant() switch
        {
            "mysql" => DialectKind.MySql,
            "mariadb" => DialectKind.MariaDb,
            "postgres" or "postgresql" => DialectKind.Postgres,
            _ => throw new FormatException("a connection URL starts with mysql://, mariadb:// or postgres://, e.g. postgres://user@host:5432/database (or pass an ADO.NET connection string such as Host=h;Database=d;Username=u)"),
        };
        var rest = text.Substring(schemeEnd + 3);
        string user = string.Empty, password = string.Empty;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest.Substring(0, at);
            rest = rest.Substring(at + 1);
            var colon = userInfo.IndexOf(':');
            user = Decode(colon >= 0 ? userInfo.Substring(0, colon) : userInfo, "user name");
            password = colon >= 0 ? Decode(userInfo.Substring(colon + 1), "password") : string.Empty;
        }

        if (rest.Contains('#', StringComparison.Ordinal))
        {
            throw new FormatException("the connection URL has a '#' after the host; write a '#' in the password as %23 or put the password in the environment (see docs)");
        }

        string? query = null;
        var q = rest.IndexOf('?');
        if (q >= 0)
        {
            query = rest.Substring(q + 1);
            rest = rest.Substring(0, q);
        }

        string? database = null;
        var slash = rest.IndexOf('/');
        if (slash >= 0)
        {
            var name = Decode(rest.Substring(slash + 1), "database name");
            database = name.Length == 0 ? null : name;
            rest = rest.Substring(0, slash);
        }

        var port = dialect == DialectKind.Postgres ? 5432 : 3306;
        var host = rest;
        var portColon = rest.StartsWith('[') ? rest.IndexOf("]:", StringComparison.Ordinal) + 1 : rest.LastIndexOf(':');
        if (portColon > 0)
        {
            host = rest.Substring(0, portColon);
            var portText = rest.Substring(portColon + 1);
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is <= 0 or > 65535)
            {
                throw new FormatException($"the port in the connection URL for host '{host.Trim('[', ']')}' is not a number between 1 and 65535");
            }
        }

        host = host.Trim('[', ']');
        if (host.Length == 0)
        {
            host = "localhost";
        }

        return Create(dialect, host, port, user, password, database, UrlOptions.Read(dialect, query), text, null);
    }

    /// <summary>Unescapes one part of the URL; a bad escape is an error that never echoes the text (it may be the password).</summary>
    internal static string Decode(string text, string part)
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

    private static string ReplaceIgnoreCase(string text, string find, string replacement)
    {
        var i = text.IndexOf(find, StringComparison.OrdinalIgnoreCase);
        while (i >= 0)
        {
            var end = i + find.Length;
            // Only a whole value: the password must end at a separator or the end of the text.
            var whole = end == text.Length || text[end] is ';' or ' ' or '\'' or '"' or ',' or ')';
            if (whole)
            {
                text = text.Substring(0, i) + replacement + text.Substring(end);
            }

            i = text.IndexOf(find, i + (whole ? replacement.Length : 1), StringComparison.OrdinalIgnoreCase);
        }

        return text;
    }

    private static string ReplaceDatabase(string url, string database)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal) + 3;
        var at = url.LastIndexOf('@');
        var hostStart = Math.Max(start, at + 1);
        var q = url.IndexOf('?', hostStart);
        var query = q >= 0 ? url.Substring(q) : string.Empty;
        var body = q >= 0 ? url.Substring(0, q) : url;
        var slash = body.IndexOf('/', hostStart);
        var head = slash >= 0 ? body.Substring(0, slash) : body;
        return head + "/" + Uri.EscapeDataString(database) + query;
    }
}
