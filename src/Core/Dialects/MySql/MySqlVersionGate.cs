using System;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Dialects.MySql;

/// <summary>
/// Which executable comments the target server runs: <c>/*!NNNNN ... */</c> on both engines when
/// NNNNN is at most the server version (no number: always), <c>/*M!NNNNNN ... */</c> on MariaDB
/// only. Any other executable comment is an ordinary comment to that server, and so to SchemaBuild.
/// </summary>
public sealed class MySqlVersionGate
{
    /// <summary>Runs every executable comment (no target known: the lexer's behaviour for tools that only split statements).</summary>
    public static readonly MySqlVersionGate All = new(DialectKind.MariaDb, int.MaxValue);

    private readonly bool mariaDb;
    private readonly int version;

    private MySqlVersionGate(DialectKind dialect, int version)
    {
        mariaDb = dialect == DialectKind.MariaDb;
        this.version = version;
    }

    /// <summary>The gate of <paramref name="dialect"/> at <paramref name="serverVersion"/> (null: the dialect's default version).</summary>
    public static MySqlVersionGate For(DialectKind dialect, string? serverVersion)
    {
        var profile = EngineProfile.For(dialect, serverVersion);
        return new MySqlVersionGate(dialect, Number(profile.Version));
    }

    /// <summary>The version number as executable comments write it: 10.11.0 is 101100, 8.0.36 is 80036.</summary>
    public static int Number(Version version) =>
        (version.Major * 10000) + (Math.Max(0, version.Minor) * 100) + Math.Max(0, version.Build);

    /// <summary>Whether the server runs an executable comment; <paramref name="number"/> is empty when none is written.</summary>
    public bool Applies(bool mariaDbOnly, string number)
    {
        if (mariaDbOnly && !mariaDb)
        {
            return false;
        }

        // The server reads at most six digits; five-digit numbers are MySQL's, six-digit ones MariaDB 10+ / MySQL 10+.
        return number.Length == 0 || !int.TryParse(number, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var required)
            || required <= version;
    }
}
