using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Engines.Postgres;
using Xunit;

namespace SchemaBuild.Runtime.Tests.GhostCopy.Postgres;

/// <summary>
/// The copy key follows the live table's replica identity (the rule the plan's SB4010 applies to the
/// files): a table with only a unique key is refused while its replica identity is DEFAULT, and copied
/// along the index once the server has <c>REPLICA IDENTITY USING INDEX</c>.
/// </summary>
public sealed class PgCopyKeyDeployTests
{
    private const string Baseline = "CREATE TABLE codes (\n  code integer NOT NULL,\n  n integer NOT NULL,\n  CONSTRAINT codes_code_key UNIQUE (code)\n);\n";

    [Fact]
    public async Task A_unique_key_is_the_copy_key_only_when_it_is_the_replica_identity()
    {
        await using var database = await TestDatabase.CreateAsync(DialectKind.Postgres, "pg_copy_key");
        await database.RunAsync(Baseline + "INSERT INTO codes SELECT g, g FROM generate_series(1, 2000) g;");
        var desired = "-- schema:allow SB4010 codes \"replica identity set on the server\"\n" + Baseline.Replace("n integer", "n bigint", StringComparison.Ordinal);
        var plan = Plans.Between(DialectKind.Postgres, Baseline, desired);
        Assert.Contains(plan.Diagnostics, d => d.Id == "SB4010" && d.Acknowledged);

        await using (var session = await database.OpenAsync())
        {
            var refused = await Assert.ThrowsAsync<DeploymentRefusedException>(() => new Deployer().DeployAsync(plan, session, DeployOptions.Default, CancellationToken.None));
            Assert.Contains("no primary key and no replica identity index", refused.Message, StringComparison.Ordinal);
        }

        await PgGhostDeployTests.AssertNothingLeftAsync(database);
        await database.RunAsync("ALTER TABLE codes REPLICA IDENTITY USING INDEX codes_code_key;");
        await using (var session = await database.OpenAsync())
        {
            var result = await new Deployer().DeployAsync(plan, session, DeployOptions.Default, CancellationToken.None);
            Assert.Equal(DeploymentOutcome.Deployed, result.Outcome);
        }

        await using var connection = new NpgsqlConnection(PostgresSession.ConnectionString(database.Url, TimeSpan.FromMinutes(1)));
        await connection.OpenAsync();
        Assert.Equal("bigint", await PgGhostCopyTests.ScalarAsync(connection, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'codes'::regclass AND attname = 'n'"));
        Assert.Equal(2000L, await PgGhostCopyTests.ScalarAsync(connection, "SELECT count(*) FROM codes WHERE code = n"));
        Assert.Equal("i", await PgGhostCopyTests.ScalarAsync(connection, "SELECT relreplident::text FROM pg_class WHERE oid = 'codes'::regclass"));
        await PgGhostDeployTests.AssertNothingLeftAsync(database);
    }
}
