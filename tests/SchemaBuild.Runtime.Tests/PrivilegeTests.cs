using System;
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
}
