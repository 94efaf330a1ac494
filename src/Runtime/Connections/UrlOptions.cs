using System;
using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Runtime.Connections;

/// <summary>
/// The options a connection URL may carry, per engine, under their accepted spellings. Anything
/// else is an error: a misspelt <c>sslmode</c> silently ignored would connect without TLS.
/// </summary>
internal static class UrlOptions
{
    private static readonly Dictionary<string, string> Postgres = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "sslmode", ["ssl-mode"] = "sslmode",
        ["sslrootcert"] = "ssl-ca", ["ssl-ca"] = "ssl-ca", ["sslca"] = "ssl-ca",
        ["connect-timeout"] = "connect-timeout",
        ["application-name"] = "application-name",
        ["passfile"] = "passfile",
    };

    private static readonly Dictionary<string, string> MySql = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "sslmode", ["ssl-mode"] = "sslmode",
        ["sslca"] = "ssl-ca", ["ssl-ca"] = "ssl-ca", ["sslrootcert"] = "ssl-ca",
        ["connect-timeout"] = "connect-timeout", ["connecttimeout"] = "connect-timeout",
        ["defaults-file"] = "defaults-file",
    };

    public static IReadOnlyList<(string Name, string Value)> Read(DialectKind dialect, string? query)
    {
        var known = dialect == DialectKind.Postgres ? Postgres : MySql;
        var result = new List<(string Name, string Value)>();
        if (string.IsNullOrEmpty(query))
        {
            return result;
        }

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var name = ConnectionUrl.Decode(eq < 0 ? pair : pair.Substring(0, eq), "options").Replace('_', '-');
            var value = eq < 0 ? string.Empty : ConnectionUrl.Decode(pair.Substring(eq + 1), "options");
            if (!known.TryGetValue(name, out var canonical))
            {
                throw new FormatException(
                    $"unknown option '{Shorten(name)}' in the {DialectNames.Of(dialect)} connection URL; the options are {string.Join(", ", known.Values.Distinct())}");
            }

            result.Add((canonical, Check(canonical, value)));
        }

        return result;
    }

    private static string Check(string name, string value)
    {
        switch (name)
        {
            case "sslmode":
                return ConnectionUrl.PostgresSslMode(value)
                    ?? throw new FormatException($"sslmode '{Shorten(value)}' in the connection URL is not one of disable, allow, prefer, require, verify-ca, verify-full");
            case "connect-timeout":
                return int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0
                    ? value
                    : throw new FormatException("connect_timeout in the connection URL is a whole number of seconds, e.g. connect_timeout=10");
            default:
                return value;
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text.Substring(0, 40) + "...";
}
