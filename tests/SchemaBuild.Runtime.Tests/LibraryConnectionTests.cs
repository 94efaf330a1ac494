using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using MySqlConnector;
using Npgsql;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Engines;
using SchemaBuild.Runtime.Connections;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Sessions;
using SchemaBuild.Runtime.State;
using Xunit;

namespace SchemaBuild.Runtime.Tests;

/// <summary>The library on the application's own connections: a data source, an open connection, a connection string, and passwords from the engines' conventions.</summary>
public sealed class LibraryConnectionTests
{
    public static TheoryData<string> Engines() => new() { "mariadb", "postgres" };

    /// <summary>The test database as an ADO.NET connection string in its driver's own keywords.</summary>
    private static string AdoConnectionString(TestDatabase database, string engine) => engine == "postgres"
        ? new NpgsqlConnectionStringBuilder { Host = database.Url.Host, Port = database.Url.Port, Username = database.Url.User, Password = TestDatabase.Password(database.Dialect), Database = database.Name }.ConnectionString
        : new MySqlConnectionStringBuilder { Server = database.Url.Host, Port = (uint)database.Url.Port, UserID = database.Url.User, Password = TestDatabase.Password(database.Dialect), Database = database.Name, SslMode = MySqlSslMode.None }.ConnectionString;

    private static async Task DeployAndCheckAsync(string engine, IDatabaseSession session)
    {
        var plan = Plans.Between(SampleSchemas.Dialect(engine), SampleSchemas.Baseline(engine), SampleSchemas.Desired(engine));
        var result = await new Deployer().DeployAsync(plan, session, new DeployOptions(), CancellationToken.None);
        Assert.Equal(DeploymentOutcome.Deployed, result.Outcome);
        ModelAssert.Same(plan.Target, await session.CreateIntrospector(StateTableNames.Default.All).IntrospectAsync(CancellationToken.None), "after a deploy through " + session.DisplayName);
        Assert.DoesNotContain(TestDatabase.Password(session.Dialect == DialectKind.Postgres ? DialectKind.Postgres : DialectKind.MariaDb), session.DisplayName, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_plan_deploys_through_the_applications_data_source(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(SampleSchemas.Dialect(engine), "datasource_" + engine);
        await database.RunAsync(SampleSchemas.Baseline(engine));
        var connectionString = AdoConnectionString(database, engine);
        await using System.Data.Common.DbDataSource dataSource = engine == "postgres" ? NpgsqlDataSource.Create(connectionString) : new MySqlDataSource(connectionString);
        await using var session = await DatabaseSessions.OpenAsync(dataSource);
        Assert.Equal(database.Name, session.DatabaseName);
        await DeployAndCheckAsync(engine, session);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_plan_deploys_on_the_applications_open_connection_which_stays_open(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(SampleSchemas.Dialect(engine), "openconn_" + engine);
        await database.RunAsync(SampleSchemas.Baseline(engine));
        var connectionString = AdoConnectionString(database, engine);
        await using System.Data.Common.DbConnection connection = engine == "postgres" ? new NpgsqlConnection(connectionString) : new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var session = await DatabaseSessions.OpenAsync(connection))
        {
            await DeployAndCheckAsync(engine, session);
        }

        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_plan_deploys_through_an_ADO_NET_connection_string_and_the_command_line_accepts_one(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(SampleSchemas.Dialect(engine), "connstring_" + engine);
        await database.RunAsync(SampleSchemas.Baseline(engine));
        var connectionString = AdoConnectionString(database, engine);
        await using (var session = await DatabaseSessions.OpenAsync(connectionString))
        {
            Assert.Equal(engine == "postgres" ? DialectKind.Postgres : DialectKind.MariaDb, session.Dialect);
            await DeployAndCheckAsync(engine, session);
        }

        var status = SchemaTool.Run(new Dictionary<string, string> { ["SCHEMABUILD_CONNECTION"] = connectionString }, "status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("succeeded", status.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(TestDatabase.Password(database.Dialect), status.Output + status.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostgreSQL_logs_in_with_PGPASSWORD_and_verifies_the_server_with_sslrootcert()
    {
        var ca = Environment.GetEnvironmentVariable("SCHEMABUILD_TEST_TLS_CA") ?? throw new InvalidOperationException("SCHEMABUILD_TEST_TLS_CA is not set; run `eval \"$(eng/db.sh env)\"`");
        await using var database = await TestDatabase.CreateAsync(DialectKind.Postgres, "pgpassword");
        var password = TestDatabase.Password(DialectKind.Postgres);
        var bare = $"postgres://{database.Url.User}@localhost:{database.Url.Port}/{database.Name}?sslmode=verify-full&sslrootcert={Uri.EscapeDataString(ca)}";
        var url = ConnectionUrl.Parse(bare, n => n == "PGPASSWORD" ? password : null);
        await using (var session = await DatabaseSessions.OpenAsync(url, TimeSpan.FromMinutes(1)))
        {
            var ssl = await session.QueryAsync("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", null, CancellationToken.None);
            Assert.Equal(true, ssl[0][0]);
        }

        // Without the CA the self-signed chain is not trusted: the URL's sslrootcert was what made it work.
        var untrusted = ConnectionUrl.Parse($"postgres://{database.Url.User}@localhost:{database.Url.Port}/{database.Name}?sslmode=verify-full", n => n == "PGPASSWORD" ? password : null);
        var error = await Assert.ThrowsAsync<ConnectionFailedException>(() => DatabaseSessions.OpenAsync(untrusted, TimeSpan.FromMinutes(1)));
        Assert.Equal(ConnectionFailureKind.Tls, error.Kind);
    }

    [Fact]
    public async Task MariaDB_logs_in_with_the_password_and_CA_of_a_defaults_file()
    {
        var ca = Environment.GetEnvironmentVariable("SCHEMABUILD_TEST_TLS_CA") ?? throw new InvalidOperationException("SCHEMABUILD_TEST_TLS_CA is not set; run `eval \"$(eng/db.sh env)\"`");
        await using var database = await TestDatabase.CreateAsync(DialectKind.MariaDb, "defaultsfile");
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, $"[client]\npassword={TestDatabase.Password(DialectKind.MariaDb)}\nssl-ca={ca}\n");
            var url = ConnectionUrl.Parse($"mariadb://{database.Url.User}@localhost:{database.Url.Port}/{database.Name}?sslmode=verify-full&defaults-file={Uri.EscapeDataString(file)}", _ => null);
            await using var session = await DatabaseSessions.OpenAsync(url, TimeSpan.FromMinutes(1));
            var cipher = await session.QueryAsync("SHOW SESSION STATUS LIKE 'Ssl_cipher'", null, CancellationToken.None);
            Assert.False(string.IsNullOrEmpty(Convert.ToString(cipher[0][1], System.Globalization.CultureInfo.InvariantCulture)));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void The_command_line_warns_once_about_a_password_in_connection_and_not_when_it_comes_from_MYSQL_PWD()
    {
        var server = ConnectionUrl.Parse(TestDatabase.ServerUrl(DialectKind.MariaDb), _ => null);
        var withPassword = SchemaTool.Run("status", "--connection", server.Secret);
        Assert.True(withPassword.ExitCode == 0, withPassword.ToString());
        Assert.Equal(1, CountOf(withPassword.Error, "warning: --connection carries a password"));
        Assert.Contains("MYSQL_PWD", withPassword.Error, StringComparison.Ordinal);

        var bare = $"mariadb://{server.User}@{server.Host}:{server.Port}/{server.Database}";
        var fromEnvironment = SchemaTool.Run(new Dictionary<string, string> { ["MYSQL_PWD"] = TestDatabase.Password(DialectKind.MariaDb) }, "status", "--connection", bare);
        Assert.True(fromEnvironment.ExitCode == 0, fromEnvironment.ToString());
        Assert.DoesNotContain("warning: --connection", fromEnvironment.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mysql://u:secret?tail@127.0.0.1:1/db?sslmdoe=required")]
    [InlineData("postgres://u:secret?tail@127.0.0.1:1/db?pool=yes")]
    public void The_command_line_rejects_unknown_URL_options_with_exit_2_and_never_prints_the_password(string url)
    {
        var result = SchemaTool.Run("status", "--connection", url);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown option", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", result.Output + result.Error, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
