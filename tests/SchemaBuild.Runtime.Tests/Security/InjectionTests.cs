using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Runtime.Engines;
using SchemaBuild.Runtime.Connections;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Sessions;
using SchemaBuild.Tests.Shared;
using Xunit;

namespace SchemaBuild.Runtime.Tests.Security;

/// <summary>
/// Issue 10 §1: no text in a schema (names, comments, defaults, checks) escapes into SQL, in
/// plan.sql, the dry run, plan.md or a deployment, whatever the server's settings.
/// </summary>
public sealed class InjectionTests
{
    private const string Victim = "CREATE TABLE victim (id int PRIMARY KEY);\n";

    private static string HostileNames(string engine) => engine == "postgres"
        ? Victim + "CREATE TABLE \"x\nDROP TABLE victim;\n--\" (id int PRIMARY KEY, \"y\nDROP TABLE victim; -- */\" int);\n"
        : Victim + "CREATE TABLE `x\nDROP TABLE victim;\n--` (id int PRIMARY KEY, `y\nDROP TABLE victim; -- */` int);\n";

    [Theory]
    [InlineData("mariadb")]
    [InlineData("postgres")]
    public async Task Plan_sql_fed_to_the_engines_client_creates_hostile_names_and_drops_nothing(string engine)
    {
        var dialect = SampleSchemas.Dialect(engine);
        var plan = Plans.Between(dialect, Victim, HostileNames(engine));
        await using var database = await TestDatabase.CreateAsync(dialect, "inject_plansql_" + engine);
        await database.RunAsync(Victim);

        var run = RunClient(database, PlanSql.Write(plan));
        Assert.True(run.ExitCode == 0, $"the client failed on plan.sql:\n{run.StandardError}\n{PlanSql.Write(plan)}");
        await AssertVictimAndTargetAsync(database, plan);
    }

    [Theory]
    [InlineData("mariadb")]
    [InlineData("postgres")]
    public async Task Dry_run_output_fed_to_the_engines_client_drops_nothing(string engine)
    {
        var dialect = SampleSchemas.Dialect(engine);
        var plan = Plans.Between(dialect, Victim, HostileNames(engine));
        await using var database = await TestDatabase.CreateAsync(dialect, "inject_dryrun_" + engine);
        await database.RunAsync(Victim);
        var file = Path.Combine(Path.GetTempPath(), $"sb-hostile-{Guid.NewGuid():n}.json");
        await File.WriteAllTextAsync(file, PlanJson.Write(plan));
        try
        {
            var dryRun = SchemaTool.Run("deploy", "--plan", file, "--connection", database.UrlText, "--dry-run");
            Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
            var run = RunClient(database, dryRun.Output);
            Assert.True(run.ExitCode == 0, $"the client failed on the dry run:\n{run.StandardError}\n{dryRun.Output}");
            await AssertVictimAndTargetAsync(database, plan);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Hostile_literals_deploy_exactly_on_postgres_with_standard_conforming_strings_off_and_latin1_client_encoding()
    {
        const string desired = Victim
            + "CREATE TABLE \"t'\"\"€\" (\n"
            + "  id int PRIMARY KEY,\n"
            + "  note text DEFAULT '\\''); DROP TABLE victim; --',\n"
            + "  CONSTRAINT \"c\\'); DROP TABLE victim; --\" CHECK (note <> '\\''); DROP TABLE victim; --')\n"
            + ");\n"
            + "COMMENT ON TABLE \"t'\"\"€\" IS '\\''); DROP TABLE victim; --';\n"
            + "COMMENT ON COLUMN \"t'\"\"€\".note IS E'two\\nlines \\\\''); DROP TABLE victim; --';\n";
        await using var database = await TestDatabase.CreateAsync(Core.Model.DialectKind.Postgres, "inject_scs");
        await database.RunAsync($"ALTER DATABASE {database.Name} SET standard_conforming_strings = off");
        await database.RunAsync($"ALTER DATABASE {database.Name} SET client_encoding = 'LATIN1'");
        await database.RunAsync(Victim);
        await DeployAndCompareAsync(database.Url, Core.Model.DialectKind.Postgres, desired);
    }

    [Fact]
    public async Task Hostile_literals_deploy_exactly_on_a_mariadb_whose_sql_mode_has_no_backslash_escapes_and_ansi_quotes()
    {
        const string desired = Victim
            + "CREATE TABLE `t'\\\"€` (\n"
            + "  id int PRIMARY KEY,\n"
            + "  note varchar(100) DEFAULT 'a\\'); DROP TABLE victim; -- ' COMMENT 'c\\'); DROP TABLE victim; -- \\\\',\n"
            + "  CONSTRAINT `k\"` CHECK (note <> 'b\\'); DROP TABLE victim; -- ')\n"
            + ") COMMENT='t\\'); DROP TABLE victim; -- \\n';\n";
        await using var server = await ThrowawayMariaDb.StartAsync("--sql-mode=NO_BACKSLASH_ESCAPES,ANSI_QUOTES,STRICT_TRANS_TABLES");
        var url = ConnectionUrl.Parse(server.Url + "hostile");
        await using (var admin = await DatabaseSessions.OpenAsync(ConnectionUrl.Parse(server.Url + "mysql"), TimeSpan.FromMinutes(1)))
        {
            // The server really imposes the mode on sessions that do not set their own.
            var modes = await admin.QueryAsync("SELECT @@GLOBAL.sql_mode", null, CancellationToken.None);
            Assert.Contains("NO_BACKSLASH_ESCAPES", Convert.ToString(modes[0][0]));
            await admin.ExecuteAsync("CREATE DATABASE hostile", null, CancellationToken.None);
        }

        await using (var session = await DatabaseSessions.OpenAsync(url, TimeSpan.FromMinutes(1)))
        {
            await session.ExecuteAsync(Victim, null, CancellationToken.None);
        }

        await DeployAndCompareAsync(url, Core.Model.DialectKind.MariaDb, desired);
    }

    [Fact]
    public void Plan_md_keeps_backticks_links_and_images_in_names_inside_their_code_span()
    {
        var plan = Plans.Between(Core.Model.DialectKind.MariaDb, string.Empty,
            "CREATE TABLE `a``](https://evil.example/x) ![img](https://evil.example/i.png) <b>x</b> | `````` y` (id int PRIMARY KEY);\n");
        var markdown = PlanMarkdown.Write(plan);
        var row = markdown.Split('\n').Single(l => l.StartsWith("| 1 |", StringComparison.Ordinal));

        // The name holds runs of up to three backticks: the code span is fenced by four, which nothing inside can close.
        Assert.Contains(" ````a`](https://evil.example/x) ![img](https://evil.example/i.png) <b>x</b> \\| ``` y```` ", row);
        Assert.Equal(6, row.Split(" | ").Length);
    }

    private static async Task DeployAndCompareAsync(ConnectionUrl url, Core.Model.DialectKind dialect, string desired)
    {
        var plan = Plans.Between(dialect, Victim, desired);
        await using var session = await DatabaseSessions.OpenAsync(url, TimeSpan.FromMinutes(2));
        await new Deployer().DeployAsync(plan, session, DeployOptions.Default, CancellationToken.None);
        Assert.True(await session.TableExistsAsync("victim", CancellationToken.None), "victim was dropped");
        var live = await session.CreateIntrospector(State.StateTableNames.Default.All).IntrospectAsync(CancellationToken.None);
        ModelAssert.Same(plan.Target, live, "the deployed schema is not the schema as written");
        var comment = plan.Target.Tables.Single(t => t.Name.Name != "victim").Comment;
        Assert.Contains("DROP TABLE victim", comment);
    }

    private static async Task AssertVictimAndTargetAsync(TestDatabase database, Plan plan)
    {
        await using var session = await database.OpenAsync();
        Assert.True(await session.TableExistsAsync("victim", CancellationToken.None), "victim was dropped");
        var live = await session.CreateIntrospector(State.StateTableNames.Default.All).IntrospectAsync(CancellationToken.None);
        ModelAssert.Same(plan.Target, live, "the script did not build the target schema");
    }

    /// <summary>Runs a script with the engine's own client, as a user would run plan.sql.</summary>
    private static CommandLine.Result RunClient(TestDatabase database, string script)
    {
        var url = database.Url;
        var password = TestDatabase.Password(database.Dialect);
        return database.Dialect == Core.Model.DialectKind.Postgres
            ? CommandLine.Run("psql", new[] { "-h", url.Host, "-p", url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", url.User, "-d", database.Name, "-v", "ON_ERROR_STOP=1", "-X", "-q", "-f", "-" },
                script, new Dictionary<string, string?> { ["PGPASSWORD"] = password })
            : CommandLine.Run("mariadb", new[] { "--no-defaults", "-h", url.Host, "-P", url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-u", url.User, database.Name },
                script, new Dictionary<string, string?> { ["MYSQL_PWD"] = password });
    }
}
