using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace SchemaBuild.MySqlReplication;

/// <summary>
/// Where and how to connect. Parsed from a <c>mysql://</c> or <c>mariadb://</c> URL:
/// <c>mysql://user:password@host:3306/database?sslmode=verify-ca&amp;sslca=/path/ca.pem&amp;connect_timeout=10</c>.
/// The password is never part of <see cref="ToString"/> or of any exception message.
/// </summary>
public sealed class MySqlConnectionOptions
{
    public const int DefaultPort = 3306;

    public string Scheme { get; init; } = "mysql";
    public string Host { get; init; } = "localhost";
    public int Port { get; init; } = DefaultPort;
    public string User { get; init; } = "";
    public string Password { get; init; } = "";
    public string? Database { get; init; }
    public MySqlSslMode SslMode { get; init; } = MySqlSslMode.Preferred;
    /// <summary>PEM file with the CA certificate(s) trusted for VerifyCa / VerifyFull.</summary>
    public string? SslCa { get; init; }
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>Default limit for each command; <see cref="TimeSpan.Zero"/> means none.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Replica server id used by the binlog client.</summary>
    public uint? ServerId { get; init; }
    /// <summary>Allow the password to be sent in clear over an unencrypted connection for caching_sha2 full authentication using the server's RSA key without a pinned key.</summary>
    public bool AllowPublicKeyRetrieval { get; init; } = true;

    public static MySqlConnectionOptions Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        int schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0) throw new FormatException("Connection URL must start with mysql:// or mariadb://.");
        string scheme = url.Substring(0, schemeEnd).ToLowerInvariant();
        if (scheme is not ("mysql" or "mariadb")) throw new FormatException($"Unsupported connection URL scheme '{scheme}'; use mysql:// or mariadb://.");
        string rest = url.Substring(schemeEnd + 3);

        string? query = null;
        int q = rest.IndexOf('?');
        if (q >= 0)
        {
            query = rest.Substring(q + 1);
            rest = rest.Substring(0, q);
        }
        // The last '@' ends the user info, so a password may contain an unescaped '@' or '/'.
        string user = "", password = "";
        int at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            string userInfo = rest.Substring(0, at);
            rest = rest.Substring(at + 1);
            int colon = userInfo.IndexOf(':');
            user = Decode(colon >= 0 ? userInfo.Substring(0, colon) : userInfo, "user");
            password = colon >= 0 ? Decode(userInfo.Substring(colon + 1), "password") : "";
        }
        string? database = null;
        int slash = rest.IndexOf('/');
        if (slash >= 0)
        {
            string db = Decode(rest.Substring(slash + 1), "database");
            database = db.Length == 0 ? null : db;
            rest = rest.Substring(0, slash);
        }
        string host = rest;
        int port = DefaultPort;
        int portSep = host.StartsWith('[') ? host.IndexOf("]:", StringComparison.Ordinal) + 1 : host.LastIndexOf(':');
        if (portSep > 0)
        {
            string portText = host.Substring(portSep + 1);
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is <= 0 or > 65535)
            {
                throw new FormatException($"Invalid port '{portText}' in connection URL.");
            }
            host = host.Substring(0, portSep);
        }
        host = host.Trim('[', ']');
        if (host.Length == 0) host = "localhost";

        var options = new MySqlConnectionOptions { Scheme = scheme, Host = host, Port = port, User = user, Password = password, Database = database };
        return query is null ? options : ApplyQuery(options, query);
    }

    private static MySqlConnectionOptions ApplyQuery(MySqlConnectionOptions options, string query)
    {
        foreach (string pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=');
            string key = Decode(eq >= 0 ? pair.Substring(0, eq) : pair, "option").ToLowerInvariant().Replace('-', '_');
            string value = eq >= 0 ? Decode(pair.Substring(eq + 1), key) : "";
            options = key switch
            {
                "sslmode" or "ssl_mode" => new MySqlConnectionOptions(options) { SslMode = ParseSslMode(value) },
                "sslca" or "ssl_ca" or "sslrootcert" => new MySqlConnectionOptions(options) { SslCa = value },
                "connect_timeout" or "connecttimeout" => new MySqlConnectionOptions(options) { ConnectTimeout = ParseSeconds(key, value) },
                "command_timeout" or "commandtimeout" => new MySqlConnectionOptions(options) { CommandTimeout = ParseSeconds(key, value) },
                "server_id" or "serverid" => new MySqlConnectionOptions(options) { ServerId = ParseUInt(key, value) },
                _ => throw new FormatException($"Unknown connection URL option '{key}'."),
            };
        }
        return options;
    }

    private MySqlConnectionOptions(MySqlConnectionOptions other)
    {
        Scheme = other.Scheme;
        Host = other.Host;
        Port = other.Port;
        User = other.User;
        Password = other.Password;
        Database = other.Database;
        SslMode = other.SslMode;
        SslCa = other.SslCa;
        ConnectTimeout = other.ConnectTimeout;
        CommandTimeout = other.CommandTimeout;
        ServerId = other.ServerId;
        AllowPublicKeyRetrieval = other.AllowPublicKeyRetrieval;
    }

    public MySqlConnectionOptions()
    {
    }

    /// <summary>A copy with another default database (e.g. for tests that create their own).</summary>
    public MySqlConnectionOptions WithDatabase(string? database) => new(this) { Database = database };

    public MySqlConnectionOptions WithSslMode(MySqlSslMode mode, string? ca = null) => new(this) { SslMode = mode, SslCa = ca ?? SslCa };

    public MySqlConnectionOptions WithTimeouts(TimeSpan? connect = null, TimeSpan? command = null) =>
        new(this) { ConnectTimeout = connect ?? ConnectTimeout, CommandTimeout = command ?? CommandTimeout };

    public MySqlConnectionOptions WithCredentials(string user, string password) => new(this) { User = user, Password = password };

    public MySqlConnectionOptions WithHost(string host, int port) => new(this) { Host = host, Port = port };

    public static MySqlSslMode ParseSslMode(string value) =>
        value.ToLowerInvariant().Replace('_', '-') switch
        {
            "disabled" or "disable" or "false" or "0" => MySqlSslMode.Disabled,
            "preferred" or "prefer" => MySqlSslMode.Preferred,
            "required" or "require" or "true" or "1" => MySqlSslMode.Required,
            "verify-ca" or "verifyca" => MySqlSslMode.VerifyCa,
            "verify-full" or "verifyfull" or "verify-identity" => MySqlSslMode.VerifyFull,
            _ => throw new FormatException($"Unknown sslmode '{value}'."),
        };

    private static TimeSpan ParseSeconds(string key, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : throw new FormatException($"Option '{key}' expects a number of seconds.");

    private static uint ParseUInt(string key, string value) =>
        uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out uint result)
            ? result
            : throw new FormatException($"Option '{key}' expects a non-negative integer.");

    private static string Decode(string text, string part)
    {
        for (int i = text.IndexOf('%'); i >= 0; i = text.IndexOf('%', i + 1))
        {
            if (i + 2 >= text.Length || !Uri.IsHexDigit(text[i + 1]) || !Uri.IsHexDigit(text[i + 2]))
            {
                // Deliberately does not echo the text: it may be the password.
                throw new FormatException($"Invalid percent-encoding in the connection URL {part}.");
            }
        }
        return Uri.UnescapeDataString(text);
    }

    /// <summary>The URL with the password replaced by <c>***</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(Scheme).Append("://");
        if (User.Length > 0)
        {
            sb.Append(Uri.EscapeDataString(User));
            if (Password.Length > 0) sb.Append(":***");
            sb.Append('@');
        }
        sb.Append(Host.Contains(':') ? "[" + Host + "]" : Host).Append(':').Append(Port.ToString(CultureInfo.InvariantCulture));
        if (Database is not null) sb.Append('/').Append(Uri.EscapeDataString(Database));
        var query = new List<string> { "sslmode=" + SslMode.ToString().ToLowerInvariant() switch { "verifyca" => "verify-ca", "verifyfull" => "verify-full", var s => s } };
        if (SslCa is not null) query.Add("sslca=" + Uri.EscapeDataString(SslCa));
        if (ServerId is { } id) query.Add("server_id=" + id.ToString(CultureInfo.InvariantCulture));
        sb.Append('?').Append(string.Join('&', query));
        return sb.ToString();
    }
}
