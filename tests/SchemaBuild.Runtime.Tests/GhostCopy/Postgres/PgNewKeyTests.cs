using System;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Engines.Postgres;
using Xunit;

namespace SchemaBuild.Runtime.Tests.GhostCopy.Postgres;

/// <summary>
/// A primary key the ghost copy changes is built only when the copy ends; a value it would find twice is found
/// before anything is copied, named with the table and the key's columns, and nothing is left behind.
/// </summary>
public sealed class PgNewKeyTests
{
    private const string Baseline = "CREATE TABLE items (\n  id numeric(10,1) PRIMARY KEY,\n  note text\n);\n";

    private const string Desired = "CREATE TABLE items (\n  id integer PRIMARY KEY,\n  note text\n);\n";

    [Fact]
    public async Task A_key_value_duplicated_by_the_new_type_stops_the_deploy_before_the_copy_and_names_it()
    {
        await using var database = await TestDatabase.CreateAsync(Core.Model.DialectKind.Postgres, "pg_newkey_dup");
        // 1.2 and 1.4 are both 1 as integer; a quote in the value shows it travels as a value, not as SQL text.
        await database.RunAsync(Baseline + "INSERT INTO items SELECT g, 'n' || g FROM generate_series(2, 500) g; INSERT INTO items VALUES (1.2, 'it''s'), (1.4, 'b');");
        await using var session = await database.OpenAsync();
        var plan = Plans.Between(Core.Model.DialectKind.Postgres, Baseline, Desired);
        var failed = await Assert.ThrowsAsync<StepFailedException>(() => new Deployer().DeployAsync(plan, session, DeployOptions.Default, CancellationToken.None));
        Assert.Contains("public.items: the new primary key (id) is not unique over the table's rows: (1) occurs 2 times once converted to the new type", failed.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was copied", failed.Message, StringComparison.Ordinal);

        await PgGhostDeployTests.AssertNoSlotAsync(database);
        await using var connection = new NpgsqlConnection(PostgresSession.ConnectionString(database.Url, TimeSpan.FromMinutes(1)));
        await connection.OpenAsync();
        Assert.Equal(0L, await PgGhostCopyTests.ScalarAsync(connection, "SELECT count(*) FROM pg_class WHERE relname LIKE '\\_items\\_gh%'"));
        Assert.Equal("numeric(10,1)", await PgGhostCopyTests.ScalarAsync(connection, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'id'"));

        // Made unique, the same plan deploys.
        await database.RunAsync("DELETE FROM items WHERE id = 1.4;");
        await new Deployer().DeployAsync(plan, session, DeployOptions.Default, CancellationToken.None);
        Assert.Equal("integer 500", await PgGhostCopyTests.ScalarAsync(connection, "SELECT format_type(atttypid, atttypmod) || ' ' || (SELECT count(*) FROM items) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'id'"));
    }
}
