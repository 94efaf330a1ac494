using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Engines.Postgres;
using SchemaBuild.Runtime.Engines.Postgres.Online;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Online.Roles;
using Xunit;

namespace SchemaBuild.Runtime.Tests.GhostCopy.Postgres;

/// <summary>
/// The cutover builds its swap from catalog reads made before writers are blocked, and under the lock
/// checks only a fingerprint of the catalog rows those reads came from: it must change with every DDL
/// the swap depends on, stay equal when nothing did (statistics, writes), and a change made between the
/// reads and the lock must end up in the swap.
/// </summary>
public sealed class PgCutoverFingerprintTests
{
    private const string Baseline = "CREATE TABLE items (id integer PRIMARY KEY, n integer NOT NULL, note text);\nCREATE VIEW big_items AS SELECT id, n FROM items WHERE n > 10;\n";

    [Fact]
    public async Task The_fingerprint_changes_with_each_dependent_the_swap_carries_across_and_only_then()
    {
        var role = "sb_fp_" + Guid.NewGuid().ToString("N")[..12];
        await using var prepared = await PreparedPgCopy.CreateAsync(
            "pg_cut_fp", Baseline, Baseline.Replace("n integer NOT NULL", "n bigint NOT NULL", StringComparison.Ordinal),
            $"CREATE TABLE other (id integer PRIMARY KEY, m integer); CREATE VIEW joined AS SELECT b.id, o.m FROM big_items b JOIN other o ON o.id = b.id; CREATE ROLE {role};");
        var (database, engine, table) = (prepared.Database, prepared.Engine, prepared.Prepared);
        try
        {
            var sql = await engine.OpenSessionAsync(CancellationToken.None);
            await using var connection = sql.Connection;
            var tables = new[] { table };
            // The scope is found before the lock, the fingerprint taken before and under it.
            var scope = await PgCutover.CatalogScopeAsync(sql, tables, CancellationToken.None);
            async Task<string> Fingerprint() => await PgCutover.FingerprintAsync(sql, scope, CancellationToken.None);

            var before = await Fingerprint();
            await database.RunAsync($"INSERT INTO items SELECT g, g, 'x' FROM generate_series(1, 1000) g; INSERT INTO {table.Shadow} SELECT g, g, 'x' FROM generate_series(1, 1000) g; ANALYZE items; ANALYZE {table.Shadow}; VACUUM items;");
            Assert.Equal(before, await Fingerprint());

            foreach (var ddl in new[]
                     {
                         "COMMENT ON VIEW big_items IS 'changed'",
                         $"GRANT SELECT ON big_items TO {role}",
                         $"GRANT SELECT ON items TO {role}",
                         $"GRANT SELECT (note) ON items TO {role}",
                         "CREATE OR REPLACE VIEW big_items AS SELECT id, n FROM items WHERE n > 20",
                         "CREATE VIEW small_items AS SELECT id FROM big_items WHERE n < 5",
                         "ALTER TABLE other RENAME COLUMN m TO mm",
                         "ALTER TABLE other RENAME TO other2",
                         "CREATE INDEX items_n ON items (n)",
                         "CREATE TABLE child (id integer PRIMARY KEY, item integer REFERENCES items (id))",
                         "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'; CREATE TRIGGER items_touch BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION touch()",
                         "CREATE POLICY mine ON items USING (n > 0)",
                         "ALTER TABLE items ENABLE ROW LEVEL SECURITY",
                         "CREATE SEQUENCE ticket OWNED BY items.note",
                         "ALTER SEQUENCE ticket RENAME TO ticket2",
                         "CREATE PUBLICATION sb_fp_pub FOR TABLE items",
                         "COMMENT ON TABLE items IS 'kept'",
                     })
            {
                scope = await PgCutover.CatalogScopeAsync(sql, tables, CancellationToken.None);
                var previous = await Fingerprint();
                await database.RunAsync(ddl + ";");
                Assert.True(previous != await Fingerprint(), "the fingerprint missed: " + ddl);
            }
        }
        finally
        {
            await database.RunAsync($"DROP PUBLICATION IF EXISTS sb_fp_pub; DROP OWNED BY {role}; DROP ROLE IF EXISTS {role};");
        }
    }

    [Fact]
    public async Task A_change_to_a_dependent_view_between_the_catalog_reads_and_the_lock_is_carried_across()
    {
        await using var database = await TestDatabase.CreateAsync(DialectKind.Postgres, "pg_cut_fp_swap");
        const string baseline = Baseline + "COMMENT ON VIEW big_items IS 'before';\n";
        await database.RunAsync(baseline + "INSERT INTO items SELECT g, g, 'x' FROM generate_series(1, 100) g;");
        var commented = false;
        var options = GhostCopyOptions.Default with
        {
            Hooks = new GhostCopyHooks
            {
                // Under the cutover's lock, which a comment on the view does not wait for: the swap was built with 'before'.
                Cutover = new CutoverHooks
                {
                    InCutoverLock = async _ =>
                    {
                        if (!commented)
                        {
                            await database.RunAsync("SET lock_timeout = '2s'; COMMENT ON VIEW big_items IS 'after';");
                            commented = true;
                        }
                    },
                },
            },
        };
        await using (var session = await database.OpenAsync())
        {
            // The comment changed behind the plan's back: the deploy says so once every step ran (the swap kept the new comment).
            var drift = await Assert.ThrowsAsync<StepFailedException>(() => new Deployer().DeployAsync(
                Plans.Between(DialectKind.Postgres, baseline, baseline.Replace("n integer NOT NULL", "n bigint NOT NULL", StringComparison.Ordinal)), session,
                DeployOptions.Default with { GhostCopy = options }, CancellationToken.None));
            Assert.Contains("Views[public.big_items].Comment: \"before\" != \"after\"", drift.Message, StringComparison.Ordinal);
        }

        Assert.True(commented);
        await using var connection = new NpgsqlConnection(PostgresSession.ConnectionString(database.Url, TimeSpan.FromMinutes(1)));
        await connection.OpenAsync();
        Assert.Equal("after", await PgGhostCopyTests.ScalarAsync(connection, "SELECT obj_description('big_items'::regclass, 'pg_class')"));
        Assert.Equal("items", await PgGhostCopyTests.ScalarAsync(connection, "SELECT DISTINCT c.relname::text FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class c ON c.oid = d.refobjid WHERE r.ev_class = 'big_items'::regclass AND d.refobjid <> r.ev_class"));
        Assert.Equal("bigint", await PgGhostCopyTests.ScalarAsync(connection, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'n'"));
    }
}
