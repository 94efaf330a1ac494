using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using SchemaBuild.Core.Model;
using Xunit;
using static SchemaBuild.Runtime.Tests.ProgrammableObjectTests;

namespace SchemaBuild.Runtime.Tests;

/// <summary>
/// PostgreSQL GRANT/REVOKE as pg_dump writes them: folded into access lists, deployed, read back from
/// the catalog (aclexplode) equal to the files, and changed by GRANT/REVOKE only where they differ.
/// </summary>
public sealed class PrivilegeTests
{
    private const string Schema = """
        CREATE SCHEMA app;
        CREATE TABLE app.items (id integer PRIMARY KEY, name text);
        CREATE VIEW app.item_names AS SELECT name FROM app.items;
        CREATE SEQUENCE app.counter;

        -- What an older pg_dump writes for the public schema: restates the old default (CREATE for everyone).
        REVOKE ALL ON SCHEMA public FROM PUBLIC;
        GRANT ALL ON SCHEMA public TO postgres;
        GRANT ALL ON SCHEMA public TO PUBLIC;

        GRANT USAGE ON SCHEMA app TO pg_monitor;
        GRANT SELECT, INSERT ON TABLE app.items TO pg_monitor WITH GRANT OPTION;
        REVOKE GRANT OPTION FOR INSERT ON app.items FROM pg_monitor;
        GRANT SELECT ON app.item_names TO PUBLIC;
        GRANT USAGE ON SEQUENCE app.counter TO pg_monitor;
        """;

    [Fact]
    public async Task Postgres_grants_and_revokes_deploy_and_read_back_equal_and_changes_are_granted_or_revoked()
    {
        await using var database = await TestDatabase.CreateAsync(DialectKind.Postgres, "privileges");
        await using var session = await database.OpenAsync();
        var target = Load(DialectKind.Postgres, ("schema.sql", Schema));
        Assert.Equal(5, target.Privileges.Count);
        var items = Assert.Single(target.Privileges, p => p.Key == "TABLE app.items");
        var monitor = Assert.Single(items.Grants);
        Assert.Equal(new[] { "SELECT", "INSERT" }, monitor.Privileges);
        Assert.Equal(new[] { "SELECT" }, monitor.Grantable);

        await DeployAsync(session, target);
        Assert.Equal("True", await ScalarAsync(session, "SELECT has_schema_privilege('public', 'public', 'CREATE')"));
        Assert.Equal("True", await ScalarAsync(session, "SELECT has_table_privilege('pg_monitor', 'app.items', 'SELECT WITH GRANT OPTION')"));
        Assert.Equal("False", await ScalarAsync(session, "SELECT has_table_privilege('pg_monitor', 'app.items', 'INSERT WITH GRANT OPTION')"));
        await AssertReadBackAsync(session, target);

        // Back to the defaults for the public schema and the view, one privilege less on the table: REVOKEs only.
        var reduced = Schema.Substring(0, Schema.IndexOf("-- What", StringComparison.Ordinal))
            + "GRANT USAGE ON SCHEMA app TO pg_monitor;\nGRANT SELECT ON TABLE app.items TO pg_monitor;\nGRANT USAGE ON SEQUENCE app.counter TO pg_monitor;\n";
        target = Load(DialectKind.Postgres, ("schema.sql", reduced));
        var plan = await DeployAsync(session, target);
        var sql = plan.Steps.SelectMany(s => s.Sql).ToList();
        Assert.Contains("REVOKE INSERT ON TABLE app.items FROM pg_monitor", sql);
        Assert.Contains("REVOKE GRANT OPTION FOR SELECT ON TABLE app.items FROM pg_monitor", sql);
        Assert.Contains("REVOKE SELECT ON TABLE app.item_names FROM PUBLIC", sql);
        Assert.Contains("REVOKE CREATE ON SCHEMA public FROM PUBLIC", sql);
        Assert.DoesNotContain(sql, s => s.StartsWith("GRANT", StringComparison.Ordinal) && !s.Contains("public", StringComparison.Ordinal));
        Assert.Equal("False", await ScalarAsync(session, "SELECT has_schema_privilege('public', 'public', 'CREATE')"));
        await AssertReadBackAsync(session, target);
    }

    [Fact]
    public async Task Postgres_a_view_dropped_and_created_again_keeps_its_grants()
    {
        const string Views = """
            CREATE TABLE items (id integer PRIMARY KEY, name text, price numeric);
            CREATE VIEW item_names AS SELECT id, name FROM items;
            GRANT SELECT ON item_names TO pg_monitor;
            """;
        await using var database = await TestDatabase.CreateAsync(DialectKind.Postgres, "privileges_view");
        await using var session = await database.OpenAsync();
        await DeployAsync(session, Load(DialectKind.Postgres, ("schema.sql", Views)));

        // A column less: PostgreSQL cannot replace the view in place, so it is dropped and created, and its grant given back.
        var target = Load(DialectKind.Postgres, ("schema.sql", Views.Replace("SELECT id, name FROM", "SELECT name FROM", StringComparison.Ordinal)));
        var plan = await DeployAsync(session, target);
        var step = Assert.Single(plan.Steps);
        Assert.Equal("GRANT SELECT ON TABLE public.item_names TO pg_monitor", step.Sql.Last());
        Assert.Equal("True", await ScalarAsync(session, "SELECT has_table_privilege('pg_monitor', 'public.item_names', 'SELECT')"));
        await AssertReadBackAsync(session, target);
    }

    [Fact]
    public async Task Postgres_a_grant_to_the_deploying_role_which_owns_the_object_deploys_and_then_diff_and_deploy_have_nothing_to_do()
    {
        await using var database = await TestDatabase.CreateAsync(DialectKind.Postgres, "privileges_owner");
        string deployer;
        await using (var session = await database.OpenAsync())
        {
            deployer = await ScalarAsync(session, "SELECT current_user");
        }

        // The deploying role creates both tables, so it owns them: the server records no grant to it, ownership holds them.
        var role = "\"" + deployer.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        var folder = Path.Combine(Path.GetTempPath(), $"sb-owner-grant-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "schema.sql"), $"""
                CREATE TABLE items (id integer PRIMARY KEY, name text);
                CREATE TABLE notes (id integer PRIMARY KEY);
                GRANT SELECT, INSERT ON items TO {role};
                GRANT SELECT ON items TO pg_monitor;
                GRANT SELECT ON notes TO {role} WITH GRANT OPTION;
                """);
            var deploy = SchemaTool.Run("deploy", "--schema", folder, "--connection", database.UrlText);
            Assert.True(deploy.ExitCode == 0, deploy.ToString());

            var diff = SchemaTool.Run("diff", "--schema", folder, "--connection", database.UrlText);
            Assert.True(diff.ExitCode == 0, diff.ToString());
            Assert.Contains("nothing to do", diff.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("GRANT", diff.Output, StringComparison.Ordinal);

            var again = SchemaTool.Run("deploy", "--schema", folder, "--connection", database.UrlText);
            Assert.True(again.ExitCode == 0, again.ToString());
            Assert.Contains("nothing to do", again.All, StringComparison.Ordinal);

            await using var check = await database.OpenAsync();
            Assert.Equal("True", await ScalarAsync(check, "SELECT has_table_privilege('pg_monitor', 'items', 'SELECT')"));
            Assert.Equal("False", await ScalarAsync(check, "SELECT has_table_privilege('pg_monitor', 'notes', 'SELECT')"));

            // An owner that revoked its own privilege does not hold it: the grant in the files is a difference again, and deploys.
            await check.ExecuteAsync($"REVOKE INSERT ON items FROM {role}", null, System.Threading.CancellationToken.None);
            var drift = SchemaTool.Run("diff", "--schema", folder, "--connection", database.UrlText);
            Assert.True(drift.Output.Contains("GRANT INSERT ON TABLE public.items TO ", StringComparison.Ordinal), drift.ToString());
            Assert.DoesNotContain("GRANT SELECT", drift.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// A plan compiled from files (not from the live database) whose source lacks a grant to the owner that its target
    /// adds: the live schema, credited with what its owner holds, is neither the plan's source nor its target. Read as it
    /// is, it is the source, and the plan deploys instead of being refused as drift.
    /// </summary>
    [Fact]
    public async Task Postgres_a_file_plan_adding_a_grant_to_the_owner_is_not_taken_for_drift()
    {
        await using var database = await TestDatabase.CreateAsync(DialectKind.Postgres, "privileges_owner_plan");
        string deployer;
        await using (var session = await database.OpenAsync())
        {
            deployer = await ScalarAsync(session, "SELECT current_user");
        }

        var role = "\"" + deployer.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        const string Baseline = "CREATE TABLE items (id integer PRIMARY KEY, name text);\n";
        await database.RunAsync(Baseline);
        var desired = Baseline + "CREATE TABLE notes (id integer PRIMARY KEY);\nGRANT SELECT ON items TO " + role + ";\n";
        var plan = Plans.Between(DialectKind.Postgres, Baseline, desired);

        await using (var session = await database.OpenAsync())
        {
            var result = await new Deployment.Deployer().DeployAsync(plan, session, Deployment.DeployOptions.Default, System.Threading.CancellationToken.None);
            Assert.Equal(Deployment.DeploymentOutcome.Deployed, result.Outcome);
        }

        await using var check = await database.OpenAsync();
        Assert.Equal("notes", await ScalarAsync(check, "SELECT to_regclass('notes')::text"));
        Assert.Equal("True", await ScalarAsync(check, "SELECT has_table_privilege(current_user, 'items', 'SELECT')"));
    }
}
