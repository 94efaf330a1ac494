using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using Npgsql;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Engines;
using Xunit;

namespace SchemaBuild.Runtime.Tests;

/// <summary>Sessions opened with an ILogger log their statements at Debug and a held lock at Information, never a password.</summary>
public sealed class SessionLoggingTests
{
    public static TheoryData<string> Engines() => new() { "mariadb", "postgres" };

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_deployment_through_a_logged_session_logs_its_statements_and_no_password(string engine)
    {
        var dialect = SampleSchemas.Dialect(engine);
        await using var database = await TestDatabase.CreateAsync(dialect, "logged_" + engine);
        await database.RunAsync(SampleSchemas.Baseline(engine));
        var plan = Plans.Between(dialect, SampleSchemas.Baseline(engine), SampleSchemas.Desired(engine));
        var log = new CapturingLogger();

        await using (var session = await DatabaseSessions.OpenAsync(database.UrlText, log))
        {
            var result = await new Deployer().DeployAsync(plan, session, new DeployOptions(), CancellationToken.None);
            Assert.Equal(DeploymentOutcome.Deployed, result.Outcome);
        }

        var statement = plan.Steps.SelectMany(step => step.Sql).First();
        Assert.Contains(log.Entries, entry => entry.Level == LogLevel.Debug && entry.Message.Contains(statement, StringComparison.Ordinal));
        Assert.Contains(log.Entries, entry => entry.Message.StartsWith("session opened on ", StringComparison.Ordinal) && entry.Message.Contains("***", StringComparison.Ordinal));
        log.AssertNoEntryContains(TestDatabase.Password(dialect));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_session_on_a_connection_string_logs_no_password_and_reports_a_held_lock(string engine)
    {
        var dialect = SampleSchemas.Dialect(engine);
        await using var database = await TestDatabase.CreateAsync(dialect, "loglock_" + engine);
        var password = TestDatabase.Password(dialect);
        var connectionString = engine == "postgres"
            ? new NpgsqlConnectionStringBuilder { Host = database.Url.Host, Port = database.Url.Port, Username = database.Url.User, Password = password, Database = database.Name }.ConnectionString
            : new MySqlConnectionStringBuilder { Server = database.Url.Host, Port = (uint)database.Url.Port, UserID = database.Url.User, Password = password, Database = database.Name, SslMode = MySqlSslMode.None }.ConnectionString;
        var log = new CapturingLogger();

        await using var holder = await DatabaseSessions.OpenAsync(database.UrlText);
        Assert.True(await holder.TryAcquireDeploymentLockAsync("logged-lock", CancellationToken.None));
        await using (var waiter = await DatabaseSessions.OpenAsync(connectionString, log))
        {
            Assert.False(await waiter.TryAcquireDeploymentLockAsync("logged-lock", CancellationToken.None));
        }

        await holder.ReleaseDeploymentLockAsync("logged-lock", CancellationToken.None);
        Assert.Contains(log.Entries, entry => entry.Level == LogLevel.Information && entry.Message.Contains("logged-lock is held by another session", StringComparison.Ordinal));
        Assert.Contains(log.Entries, entry => entry.Level == LogLevel.Debug && entry.Message.Contains(engine == "postgres" ? "pg_try_advisory_lock" : "GET_LOCK", StringComparison.Ordinal));
        log.AssertNoEntryContains(password);
    }

    /// <summary>Keeps every formatted entry (with its exception text) at every level.</summary>
    private sealed class CapturingLogger : ILogger
    {
        public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue((logLevel, formatter(state, exception) + (exception is null ? string.Empty : " " + exception)));

        public void AssertNoEntryContains(string secret)
        {
            Assert.NotEmpty(Entries);
            Assert.DoesNotContain(Entries, entry => entry.Message.Contains(secret, StringComparison.Ordinal));
        }
    }
}
