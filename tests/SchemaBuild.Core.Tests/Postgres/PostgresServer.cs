using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using SchemaBuild.Core.Tests.Infrastructure;
using SchemaBuild.Tests.Shared;

namespace SchemaBuild.Core.Tests.Postgres;

/// <summary>
/// The test PostgreSQL server through its command-line clients: throwaway databases with unique
/// names, loading SQL with psql (stopping at the first error), and pg_dump --schema-only.
/// </summary>
internal sealed class PostgresServer
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private static int counter;

    private readonly TestServer server = TestServer.Postgres;

    private Dictionary<string, string?> Environment => new() { ["PGPASSWORD"] = server.Password, ["PGCONNECT_TIMEOUT"] = "10" };

    private static string Program(string name) => File.Exists(Path.Combine(BinDirectory, name)) ? Path.Combine(BinDirectory, name) : name;

    private List<string> Connection(string database) => new()
    {
        "-h", server.Host, "-p", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", server.User, "-d", database,
    };

    /// <summary>Creates an empty database and returns its name: unique per process and call.</summary>
    public string CreateDatabase(string label)
    {
        var safe = new string(label.ToLowerInvariant().ConvertAll(c => char.IsLetterOrDigit(c) ? c : '_'));
        var name = $"sbt_{System.Diagnostics.Process.GetCurrentProcess().Id}_{Interlocked.Increment(ref counter)}_{safe}";
        name = name.Length > 60 ? name.Substring(0, 60) : name;
        Psql(server.Database, $"CREATE DATABASE \"{name}\"");
        return name;
    }

    public void DropDatabase(string name) => Psql(server.Database, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");

    /// <summary>Runs SQL in one database; throws with psql's error output when a statement fails.</summary>
    public void Psql(string database, string sql)
    {
        var arguments = new List<string> { "-X", "-q", "-v", "ON_ERROR_STOP=1" };
        arguments.AddRange(Connection(database));
        CommandLine.RunChecked(Program("psql"), arguments, sql, Environment);
    }

    public string DumpSchema(string database)
    {
        var arguments = new List<string> { "--schema-only", "--no-owner", "--no-privileges" };
        arguments.AddRange(Connection(database));
        return CommandLine.RunChecked(Program("pg_dump"), arguments, null, Environment);
    }
}

internal static class StringConversion
{
    public static char[] ConvertAll(this string text, Func<char, char> convert)
    {
        var result = new char[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            result[i] = convert(text[i]);
        }

        return result;
    }
}
