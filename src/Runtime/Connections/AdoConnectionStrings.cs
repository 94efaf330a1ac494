using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Linq;
using MySqlConnector;
using Npgsql;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Runtime.Connections;

/// <summary>
/// ADO.NET connection strings (<c>Host=db;Database=shop;Username=app</c>): which driver's keywords
/// they use decides the engine; where both drivers accept them, each driver's own spelling or the
/// port decides (see <see cref="PostgresByConvention"/>). Values never appear in errors.
/// </summary>
internal static class AdoConnectionStrings
{
    public static ConnectionUrl Parse(string text)
    {
        var generic = new DbConnectionStringBuilder();
        try
        {
            generic.ConnectionString = text;
        }
        catch (ArgumentException)
        {
            throw new FormatException("the connection is neither a URL (postgres://, mysql://, mariadb://) nor a well-formed ADO.NET connection string (Keyword=value;...)");
        }

        var keys = generic.Keys.Cast<string>().ToList();
        var postgres = TryBuild(() => new NpgsqlConnectionStringBuilder(text));
        var mysql = TryBuild(() => new MySqlConnectionStringBuilder(text));
        if (postgres is null && mysql is null)
        {
            var unknown = keys.Where(k => !Knows(new NpgsqlConnectionStringBuilder(), k) && !Knows(new MySqlConnectionStringBuilder(), k)).ToList();
            throw new FormatException(unknown.Count > 0
                ? $"unknown keyword(s) {string.Join(", ", unknown.Select(k => "'" + k + "'"))} in the connection string; use Npgsql or MySqlConnector keywords"
                : "the connection string mixes Npgsql and MySqlConnector keywords or has a value its driver rejects; check the keywords and values");
        }

        var isPostgres = postgres is not null && (mysql is null || PostgresByConvention(keys, postgres.Port));
        return isPostgres ? From(postgres!, text) : From(mysql!, text);
    }

    /// <summary>
    /// Keywords both drivers accept: Npgsql's own spellings (Host, Username) or port 5432 mean
    /// PostgreSQL; MySqlConnector's (Server, User ID, Uid) or any other port mean MySQL/MariaDB.
    /// </summary>
    private static bool PostgresByConvention(IReadOnlyList<string> keys, int port)
    {
        bool Has(params string[] names) => keys.Any(k => names.Any(n => string.Equals(k.Replace(" ", string.Empty, StringComparison.Ordinal), n, StringComparison.OrdinalIgnoreCase)));
        if (Has("Server", "UserID", "Uid", "User"))
        {
            return false;
        }

        return Has("Host", "Username") || port == NpgsqlConnection.DefaultPort;
    }

    /// <summary>The target a driver's connection string describes, the engine being known (a data source's or connection's own string).</summary>
    public static ConnectionUrl Describe(DialectKind dialect, string connectionString) =>
        dialect == DialectKind.Postgres ? From(new NpgsqlConnectionStringBuilder(connectionString), connectionString) : From(new MySqlConnectionStringBuilder(connectionString), connectionString);

    private static ConnectionUrl From(NpgsqlConnectionStringBuilder builder, string text) =>
        ConnectionUrl.Create(
            DialectKind.Postgres, builder.Host ?? "localhost", builder.Port, builder.Username ?? string.Empty, builder.Password ?? string.Empty,
            string.IsNullOrEmpty(builder.Database) ? null : builder.Database, Array.Empty<(string, string)>(), text, text);

    private static ConnectionUrl From(MySqlConnectionStringBuilder builder, string text) =>
        ConnectionUrl.Create(
            DialectKind.MySql, string.IsNullOrEmpty(builder.Server) ? "localhost" : builder.Server, (int)builder.Port, builder.UserID, builder.Password,
            string.IsNullOrEmpty(builder.Database) ? null : builder.Database, Array.Empty<(string, string)>(), text, text);

    public static string WithDatabase(string connectionString, DialectKind dialect, string database)
    {
        DbConnectionStringBuilder builder = dialect == DialectKind.Postgres
            ? new NpgsqlConnectionStringBuilder(connectionString) { Database = database }
            : new MySqlConnectionStringBuilder(connectionString) { Database = database };
        return builder.ConnectionString;
    }

    private static T? TryBuild<T>(Func<T> build)
        where T : class
    {
        try
        {
            return build();
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>True when the driver's builder accepts the keyword (each driver throws its own exception type for one it does not know).</summary>
    private static bool Knows(DbConnectionStringBuilder builder, string keyword)
    {
        try
        {
            builder[keyword] = null;
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or KeyNotFoundException or NotSupportedException)
        {
            return false;
        }
    }
}
