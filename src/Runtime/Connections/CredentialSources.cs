using System;
using System.Collections.Generic;
using System.IO;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Runtime.Connections;

/// <summary>
/// The engines' own ways to keep a password off the command line, applied when the URL or
/// connection string carries none: PostgreSQL <c>PGPASSWORD</c>, then <c>PGPASSFILE</c> or
/// <c>~/.pgpass</c> (and <c>PGSSLROOTCERT</c> for the CA); MySQL/MariaDB <c>MYSQL_PWD</c>, then the
/// <c>[client]</c> group of the option file named by <c>defaults-file</c> (password, user, ssl-ca).
/// </summary>
internal static class CredentialSources
{
    public static ConnectionUrl Complete(ConnectionUrl url, Func<string, string?> environment)
    {
        var user = url.User;
        var password = url.Password;
        var source = url.PasswordSource;
        var ca = url.Option("ssl-ca");
        if (url.Dialect == DialectKind.Postgres)
        {
            if (user.Length == 0)
            {
                user = environment("PGUSER") ?? string.Empty;
            }

            if (password.Length == 0 && environment("PGPASSWORD") is { Length: > 0 } fromEnvironment)
            {
                (password, source) = (fromEnvironment, PasswordSource.Environment);
            }

            if (password.Length == 0 && PasswordFile(url, environment) is { } file && PgPass.Find(file, url.Host, url.Port, url.Database ?? string.Empty, user) is { } fromFile)
            {
                (password, source) = (fromFile, PasswordSource.PasswordFile);
            }

            ca ??= environment("PGSSLROOTCERT");
        }
        else
        {
            if (password.Length == 0 && environment("MYSQL_PWD") is { Length: > 0 } fromEnvironment)
            {
                (password, source) = (fromEnvironment, PasswordSource.Environment);
            }

            if (url.Option("defaults-file") is { } path)
            {
                var client = OptionFile.ReadClient(path);
                if (user.Length == 0 && client.TryGetValue("user", out var fileUser))
                {
                    user = fileUser;
                }

                if (password.Length == 0 && client.TryGetValue("password", out var filePassword) && filePassword.Length > 0)
                {
                    (password, source) = (filePassword, PasswordSource.OptionFile);
                }

                if (ca is null && client.TryGetValue("ssl-ca", out var fileCa))
                {
                    ca = fileCa;
                }
            }
        }

        return url.WithCredentials(user, password, source, string.IsNullOrEmpty(ca) ? null : ca);
    }

    private static string? PasswordFile(ConnectionUrl url, Func<string, string?> environment)
    {
        if (url.Option("passfile") is { Length: > 0 } option)
        {
            return option;
        }

        if (environment("PGPASSFILE") is { Length: > 0 } named)
        {
            return named;
        }

        var home = environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".pgpass");
    }
}

/// <summary>PostgreSQL's password file: <c>host:port:database:user:password</c> lines, <c>*</c> matches anything, <c>\</c> escapes.</summary>
internal static class PgPass
{
    public static string? Find(string path, string host, int port, string database, string user)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        // libpq ignores a password file that others may read; so does SchemaBuild.
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
        {
            return null;
        }

        var wanted = new[] { host, port.ToString(System.Globalization.CultureInfo.InvariantCulture), database, user };
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var fields = Split(line);
            if (fields.Count < 5)
            {
                continue;
            }

            var matches = true;
            for (var i = 0; i < 4 && matches; i++)
            {
                matches = fields[i] == "*" || string.Equals(fields[i], wanted[i], StringComparison.Ordinal)
                    || (i == 0 && fields[i] == "localhost" && wanted[i] is "127.0.0.1" or "::1");
            }

            if (matches)
            {
                return string.Join(":", fields.GetRange(4, fields.Count - 4));
            }
        }

        return null;
    }

    private static List<string> Split(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length)
            {
                current.Append(line[++i]);
            }
            else if (line[i] == ':')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(line[i]);
            }
        }

        fields.Add(current.ToString());
        return fields;
    }
}

/// <summary>A MySQL/MariaDB option file read as <c>--defaults-file</c> does: only this file, the client groups.</summary>
internal static class OptionFile
{
    /// <summary>The groups every MySQL and MariaDB client program reads.</summary>
    private static readonly HashSet<string> ClientGroups = new(StringComparer.OrdinalIgnoreCase) { "client", "client-server", "client-mariadb" };

    public static IReadOnlyDictionary<string, string> ReadClient(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"defaults-file '{path}' cannot be read: {ex.Message}");
        }

        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var inClient = false;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';' or '!')
            {
                continue;
            }

            if (line[0] == '[')
            {
                inClient = ClientGroups.Contains(line.Trim('[', ']').Trim());
                continue;
            }

            if (!inClient)
            {
                continue;
            }

            var eq = line.IndexOf('=');
            var name = (eq < 0 ? line : line.Substring(0, eq)).Trim().Replace('_', '-').ToLowerInvariant();
            var value = eq < 0 ? string.Empty : Unquote(line.Substring(eq + 1).Trim());
            values[name] = value;
        }

        return values;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0] ? value.Substring(1, value.Length - 2) : value;
}
