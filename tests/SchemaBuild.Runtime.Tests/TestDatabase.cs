using System;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Engines;
using SchemaBuild.Runtime.Connections;
using SchemaBuild.Runtime.Sessions;

using SchemaBuild.Tests.Shared;

namespace SchemaBuild.Runtime.Tests;

/// <summary>
/// A fresh database on the throwaway server of eng/db.sh (SCHEMABUILD_TEST_MARIADB /
/// SCHEMABUILD_TEST_POSTGRES), dropped on dispose. Fails, never skips, when the variable is unset.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private static int counter;
    private readonly ConnectionUrl server;

    private TestDatabase(ConnectionUrl server, string name)
    {
        this.server = server;
        Name = name;
        Url = server.WithDatabase(name);
    }

    public string Name { get; }

    public ConnectionUrl Url { get; }

    public DialectKind Dialect => Url.Dialect;

    /// <summary>The URL with its password, as a user would pass it to --connection.</summary>
    public string UrlText => Url.Secret;

    public static string ServerUrl(DialectKind dialect)
    {
        return dialect == DialectKind.Postgres ? TestServerUrl.Postgres : TestServerUrl.MariaDb;
    }

    public static string Password(DialectKind dialect) => ConnectionUrl.Parse(ServerUrl(dialect)).Password;

    public static async Task<TestDatabase> CreateAsync(DialectKind dialect, string label)
    {
        var server = ConnectionUrl.Parse(ServerUrl(dialect));
        var name = $"sbrt_{Sanitize(label)}_{Environment.ProcessId % 10000}_{Interlocked.Increment(ref counter)}";
        await using var session = await DatabaseSessions.OpenAsync(server, TimeSpan.FromMinutes(2)).ConfigureAwait(false);
        var quoted = session.Writer.QuoteIdentifier(name);
        await session.ExecuteAsync("DROP DATABASE IF EXISTS " + quoted, null, CancellationToken.None).ConfigureAwait(false);
        await session.ExecuteAsync("CREATE DATABASE " + quoted, null, CancellationToken.None).ConfigureAwait(false);
        return new TestDatabase(server, name);
    }

    public Task<IDatabaseSession> OpenAsync() => DatabaseSessions.OpenAsync(Url, TimeSpan.FromMinutes(5));

    /// <summary>Runs a script (several statements) in the database.</summary>
    public async Task RunAsync(string sql)
    {
        await using var session = await OpenAsync().ConfigureAwait(false);
        foreach (var statement in Core.Dialects.SqlDialects.For(Dialect).SplitStatements(sql))
        {
            await session.ExecuteAsync(statement, null, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await using var session = await DatabaseSessions.OpenAsync(server, TimeSpan.FromMinutes(2)).ConfigureAwait(false);
        var drop = "DROP DATABASE IF EXISTS " + session.Writer.QuoteIdentifier(Name) + (Dialect == DialectKind.Postgres ? " WITH (FORCE)" : string.Empty);
        await session.ExecuteAsync(drop, null, CancellationToken.None).ConfigureAwait(false);
    }

    private static string Sanitize(string label)
    {
        var chars = label.ToLowerInvariant().ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(chars[i]))
            {
                chars[i] = '_';
            }
        }

        var text = new string(chars);
        return text.Length > 30 ? text.Substring(0, 30) : text;
    }
}
