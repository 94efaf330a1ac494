using System;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Engines.Postgres;
using Xunit;

namespace SchemaBuild.Runtime.Tests.GhostCopy.Postgres;

/// <summary>
/// A database with a publication for all tables (change data capture, logical replicas) publishes the shadow too,
/// and PostgreSQL refuses a DELETE on a published table without a replica identity. The shadow is built without its
/// primary key, so the copier's first delete failed and no ghost copy could run in such a database.
/// </summary>
public sealed class PgPublishedDatabaseTests
{
    private const string Baseline = "CREATE TABLE items (\n  id integer NOT NULL PRIMARY KEY,\n  n integer NOT NULL\n);\n";

    [Fact]
    public async Task A_ghost_copy_runs_where_a_publication_covers_every_table()
    {
        await using var database = await TestDatabase.CreateAsync(DialectKind.Postgres, "pg_ghost_published");
        await database.RunAsync(Baseline + "INSERT INTO items SELECT g, g FROM generate_series(1, 5000) g;\nCREATE PUBLICATION everything FOR ALL TABLES;");
        var plan = Plans.Between(DialectKind.Postgres, Baseline, Baseline.Replace("n integer", "n bigint", StringComparison.Ordinal));

        await using (var session = await database.OpenAsync())
        {
            var result = await new Deployer().DeployAsync(plan, session, DeployOptions.Default, CancellationToken.None);
            Assert.Equal(DeploymentOutcome.Deployed, result.Outcome);
        }

        await using var connection = new NpgsqlConnection(PostgresSession.ConnectionString(database.Url, TimeSpan.FromMinutes(1)));
        await connection.OpenAsync();
        Assert.Equal("bigint", await PgGhostCopyTests.ScalarAsync(connection, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'n'"));
        Assert.Equal(5000L, await PgGhostCopyTests.ScalarAsync(connection, "SELECT count(*) FROM items WHERE id = n"));

        // The new table has its primary key and the default identity again, and the publication still covers it.
        Assert.Equal("d", await PgGhostCopyTests.ScalarAsync(connection, "SELECT relreplident::text FROM pg_class WHERE oid = 'items'::regclass"));
        Assert.Equal(1L, await PgGhostCopyTests.ScalarAsync(connection, "SELECT count(*) FROM pg_publication_tables WHERE pubname = 'everything' AND tablename = 'items'"));
        await PgGhostDeployTests.AssertNothingLeftAsync(database);
    }
}
