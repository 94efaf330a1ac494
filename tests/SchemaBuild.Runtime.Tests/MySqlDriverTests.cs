using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Cli.Commands;
using SchemaBuild.Core.Loading;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Runtime.Engines;
using SchemaBuild.Runtime.Connections;
using SchemaBuild.Runtime.Sessions;
using SchemaBuild.Runtime.State;
using Xunit;

namespace SchemaBuild.Runtime.Tests;

/// <summary>MySQL/MariaDB sessions through MySqlConnector: the server's real version, MariaDB ed25519 logins, parameters and batches.</summary>
public sealed class MySqlDriverTests
{
    [Fact]
    public async Task A_live_MariaDB_is_planned_with_its_real_version_so_adding_a_column_is_instant()
    {
        await using var database = await TestDatabase.CreateAsync(DialectKind.MariaDb, "real_version");
        await database.RunAsync("CREATE TABLE orders (id int NOT NULL PRIMARY KEY, total int NOT NULL)");
        var folder = Directory.CreateTempSubdirectory("schemabuild-version-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "orders.sql"), "CREATE TABLE orders (id int NOT NULL PRIMARY KEY, total int NOT NULL, note varchar(20) NULL);\n");
            await using var session = await database.OpenAsync();

            // The handshake announces MariaDB as 5.5.5-10.11.x; the session reports what VERSION() says.
            Assert.StartsWith("10.11.", session.ServerVersion, StringComparison.Ordinal);
            var compilation = await LivePlan.CompileAsync(session, new PlanRequest(DialectKind.MySql, SchemaFiles.FromDirectory(folder.FullName, folder.FullName), folder.FullName), null, StateTableNames.Default, CancellationToken.None);
            var plan = compilation.Plan!;
            Assert.Equal(new Version(10, 11), new Version(plan.Engine.Version.Major, plan.Engine.Version.Minor));
            var step = Assert.Single(plan.Steps);
            Assert.Equal(Strategy.Instant, step.Strategy);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_MariaDB_ed25519_user_opens_a_session_and_a_wrong_password_is_an_authentication_failure()
    {
        await using var database = await TestDatabase.CreateAsync(DialectKind.MariaDb, "ed25519");
        var user = "sbrt_ed_" + Environment.ProcessId;
        const string password = "Ed-secret-\u00e41";
        await database.RunAsync($"CREATE USER '{user}'@'127.0.0.1' IDENTIFIED VIA ed25519 USING PASSWORD('{password}')");
        try
        {
            await database.RunAsync($"GRANT ALL PRIVILEGES ON `{database.Name}`.* TO '{user}'@'127.0.0.1'");
            var url = $"mariadb://{user}:{Uri.EscapeDataString(password)}@{database.Url.Host}:{database.Url.Port}/{database.Name}";
            await using (var session = await DatabaseSessions.OpenAsync(url))
            {
                var row = (await session.QueryAsync("SELECT CURRENT_USER()", null, CancellationToken.None)).Single();
                Assert.StartsWith(user + "@", Convert.ToString(row[0], System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            }

            var wrong = $"mariadb://{user}:not-it@{database.Url.Host}:{database.Url.Port}/{database.Name}";
            var error = await Assert.ThrowsAsync<ConnectionFailedException>(() => DatabaseSessions.OpenAsync(wrong));
            Assert.Equal(ConnectionFailureKind.Authentication, error.Kind);
            Assert.DoesNotContain("not-it", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await database.RunAsync($"DROP USER '{user}'@'127.0.0.1'");
        }
    }

    [Theory]
    [InlineData("mariadb")]
    [InlineData("postgres")]
    public async Task A_batch_runs_one_statement_per_row_with_real_parameters(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(SampleSchemas.Dialect(engine), "batch_" + engine);
        await database.RunAsync("CREATE TABLE notes (id int NOT NULL PRIMARY KEY, body varchar(100) NULL)");
        await using var session = await database.OpenAsync();
        var hostile = "it's \\'; DROP TABLE notes; -- ?";
        await session.ExecuteBatchAsync(
            $"INSERT INTO notes (id, body) VALUES ({session.Parameter(0)}, {session.Parameter(1)})",
            new[] { new object?[] { 1, hostile }, new object?[] { 2, null }, new object?[] { 3, "third" } },
            CancellationToken.None);
        var rows = await session.QueryAsync("SELECT id, body FROM notes ORDER BY id", null, CancellationToken.None);
        Assert.Equal(3, rows.Count);
        Assert.Equal(hostile, rows[0][1]);
        Assert.Null(rows[1][1]);
        Assert.Equal("third", rows[2][1]);
    }
}
