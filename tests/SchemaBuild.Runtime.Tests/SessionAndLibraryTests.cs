using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Engines;
using SchemaBuild.Runtime.Connections;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Sessions;
using SchemaBuild.Runtime.State;
using Xunit;

namespace SchemaBuild.Runtime.Tests;

/// <summary>Connection URLs, session timeouts, the pre-flight check, plan.json round trip and the library API with ILogger.</summary>
public sealed class SessionAndLibraryTests
{
    [Theory]
    [InlineData("mariadb://app:s3cr%40t@db.example:3307/shop", DialectKind.MariaDb, "db.example", 3307, "shop", "s3cr@t")]
    [InlineData("mysql://app:pw@localhost/shop", DialectKind.MySql, "localhost", 3306, "shop", "pw")]
    [InlineData("postgres://app:p%2Fw@10.0.0.5:6543/shop?sslmode=disable", DialectKind.Postgres, "10.0.0.5", 6543, "shop", "p/w")]
    [InlineData("postgresql://app@pg/shop", DialectKind.Postgres, "pg", 5432, "shop", "")]
    public void Connection_urls_parse_and_never_show_the_password(string text, DialectKind dialect, string host, int port, string database, string password)
    {
        var url = ConnectionUrl.Parse(text);
        Assert.Equal(dialect, url.Dialect);
        Assert.Equal(host, url.Host);
        Assert.Equal(port, url.Port);
        Assert.Equal(database, url.Database);
        Assert.Equal(password, url.Password);
        if (password.Length > 0)
        {
            Assert.DoesNotContain(password, url.ToString(), StringComparison.Ordinal);
            Assert.Contains(":***@", url.ToString(), StringComparison.Ordinal);
            Assert.Equal($"failed for {url} here", url.Redact($"failed for {text} here"));
        }

        Assert.DoesNotContain(password.Length > 0 ? password : "\u0000", url.WithDatabase("other").ToString(), StringComparison.Ordinal);
        Assert.Equal("other", url.WithDatabase("other").Database);
    }

    [Fact]
    public void An_unknown_scheme_says_which_ones_work()
    {
        var error = Assert.Throws<FormatException>(() => ConnectionUrl.Parse("oracle://u:secret-pw@h/db"));
        Assert.Contains("postgres://", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-pw", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mariadb", "SELECT @@lock_wait_timeout, @@max_statement_time", "3", "42")]
    [InlineData("postgres", "SELECT current_setting('lock_timeout'), current_setting('statement_timeout')", "2500ms", "42s")]
    public async Task The_lock_wait_and_statement_timeout_are_set_on_the_session(string engine, string query, string lockWait, string statementTimeout)
    {
        await using var session = await DatabaseSessions.OpenAsync(ConnectionUrl.Parse(TestDatabase.ServerUrl(SampleSchemas.Dialect(engine))), TimeSpan.FromMinutes(1));
        await session.ApplyTimeoutsAsync(TimeSpan.FromMilliseconds(2500), TimeSpan.FromSeconds(42), CancellationToken.None);
        var row = (await session.QueryAsync(query, null, CancellationToken.None))[0];
        Assert.Equal(lockWait, Convert.ToString(row[0], System.Globalization.CultureInfo.InvariantCulture)!.Replace(".000000", string.Empty, StringComparison.Ordinal));
        Assert.StartsWith(statementTimeout, Convert.ToString(row[1], System.Globalization.CultureInfo.InvariantCulture)!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mariadb")]
    [InlineData("postgres")]
    public async Task Pre_flight_reports_long_transactions_and_waits_for_them_up_to_the_bound(string engine)
    {
        var dialect = SampleSchemas.Dialect(engine);
        var plan = Plans.Between(dialect, SampleSchemas.Baseline(engine), SampleSchemas.Desired(engine));
        await using var database = await TestDatabase.CreateAsync(dialect, "preflight_" + engine);
        await database.RunAsync(SampleSchemas.Baseline(engine) + SampleSchemas.Seed);
        await using var longTransaction = await database.OpenAsync();
        await longTransaction.ExecuteAsync("BEGIN", null, CancellationToken.None);
        await longTransaction.ExecuteAsync("UPDATE customers SET email = email WHERE id = 1", null, CancellationToken.None);
        await Task.Delay(1200);
        var notes = new List<string>();
        var options = DeployOptions.Default with
        {
            LongTransactionThreshold = TimeSpan.FromSeconds(1),
            LongTransactionWait = TimeSpan.FromSeconds(2),
            LockWait = LockWaitPolicy.Default with { LockWait = TimeSpan.FromSeconds(1), MaxAttempts = 30, InitialBackoff = TimeSpan.FromMilliseconds(200), MaxBackoff = TimeSpan.FromMilliseconds(300) },
            Progress = new RecordingProgress(notes),
        };
        await using var session = await database.OpenAsync();
        var deploying = new Deployer().DeployAsync(plan, session, options, CancellationToken.None);

        // The pre-flight runs before the first step on customers (not before creating notes): commit once it gave up waiting.
        for (var waited = 0; waited < 60000 && !deploying.IsCompleted; waited += 100)
        {
            lock (notes)
            {
                if (notes.Any(n => n.Contains("still open", StringComparison.Ordinal)))
                {
                    break;
                }
            }

            await Task.Delay(100);
        }

        await longTransaction.ExecuteAsync("COMMIT", null, CancellationToken.None);
        Assert.Equal(DeploymentOutcome.Deployed, (await deploying).Outcome);
        lock (notes)
        {
            Assert.Contains(notes, n => n.Contains("long transaction", StringComparison.Ordinal) && n.Contains("waiting up to 2s", StringComparison.Ordinal));
            Assert.Contains(notes, n => n.Contains("still open", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Plan_json_reads_back_to_the_same_plan_json()
    {
        foreach (var engine in new[] { "mariadb", "postgres" })
        {
            var plan = Plans.Between(SampleSchemas.Dialect(engine), SampleSchemas.Baseline(engine), SampleSchemas.Desired(engine));
            var json = PlanJson.Write(plan);
            var read = PlanReader.Read(json);
            Assert.Equal(json, PlanJson.Write(read));
            Assert.Equal(PlanFingerprint.Compute(plan), PlanFingerprint.Compute(read));
        }

        Assert.Throws<FormatException>(() => PlanReader.Read("{\"formatVersion\": 99}"));
    }

    [Theory]
    [InlineData("mariadb")]
    [InlineData("postgres")]
    public async Task The_library_deploys_a_plan_read_from_plan_json_and_logs_through_ILogger_without_the_password(string engine)
    {
        var dialect = SampleSchemas.Dialect(engine);
        var plan = PlanReader.Read(PlanJson.Write(Plans.Between(dialect, SampleSchemas.Baseline(engine), SampleSchemas.Desired(engine))));
        await using var database = await TestDatabase.CreateAsync(dialect, "library_" + engine);
        await database.RunAsync(SampleSchemas.Baseline(engine));
        var logger = new ListLogger();
        await using var connection = await DatabaseSessions.OpenAsync(database.UrlText);
        var deployer = new Deployer(logger);
        var result = await deployer.DeployAsync(plan, connection, new DeployOptions(), CancellationToken.None);
        Assert.Equal(DeploymentOutcome.Deployed, result.Outcome);
        Assert.Contains(logger.Lines, l => l.Contains("step 1", StringComparison.Ordinal));
        Assert.Contains(logger.Lines, l => l.Contains(":***@", StringComparison.Ordinal));
        Assert.DoesNotContain(logger.Lines, l => l.Contains(TestDatabase.Password(dialect), StringComparison.Ordinal));
        ModelAssert.Same(plan.Target, await connection.CreateIntrospector(StateTableNames.Default.All).IntrospectAsync(CancellationToken.None), "after a library deploy");
    }

    private sealed class ListLogger : ILogger<Deployer>
    {
        public List<string> Lines { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines)
            {
                Lines.Add(formatter(state, exception) + (exception is null ? string.Empty : " " + exception.Message));
            }
        }
    }
}
