using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Engines.Postgres;
using SchemaBuild.Runtime.State;
using SchemaBuild.Runtime.Tests.GhostCopy.Load;

namespace SchemaBuild.Runtime.Tests.GhostCopy.Gate;

/// <summary>
/// One engine's <c>items (id, qty, name)</c> table with seeded rows, the plan that widens <c>qty</c>
/// (a ghost copy on both engines) and the writers' model over it.
/// </summary>
internal sealed record GateTarget(Core.Planning.Plan Plan, TestDatabase Database, WriteLoad Load)
{
    private const string PostgresTable = "CREATE TABLE items (id integer NOT NULL PRIMARY KEY, qty integer NOT NULL, name varchar(40) NOT NULL);\n";

    public static async Task<GateTarget> CreateAsync(DialectKind dialect, string label, int rows, int workers, double writesPerSecond)
    {
        if (dialect == DialectKind.MariaDb)
        {
            var (plan, database, load) = await MySql.MariaDbLoad.SetUpAsync(label, rows, workers, writesPerSecond);
            return new GateTarget(plan, database, load);
        }

        var pg = await TestDatabase.CreateAsync(DialectKind.Postgres, label);
        await pg.RunAsync(PostgresTable + $"INSERT INTO items SELECT g, g % 1000, 's' || g FROM generate_series(1, {rows}) g;\n");
        // Vacuumed now: an autovacuum of the fresh rows would hold the lock CREATE PUBLICATION waits for.
        await pg.RunAsync("VACUUM ANALYZE items;\n");
        var target = new LoadTarget(
            async ct =>
            {
                var connection = new NpgsqlConnection(PostgresSession.ConnectionString(pg.Url, TimeSpan.FromMinutes(5)));
                await connection.OpenAsync(ct);
                return (DbConnection)connection;
            },
            "items");
        var pgLoad = new WriteLoad(target, workers, writesPerSecond);
        await pgLoad.LoadModelAsync(CancellationToken.None);
        return new GateTarget(Plans.Between(DialectKind.Postgres, PostgresTable, PostgresTable.Replace("qty integer", "qty bigint", StringComparison.Ordinal)), pg, pgLoad);
    }

    /// <summary>Every table of the database other than the control tables.</summary>
    public async Task<IReadOnlyList<string>> TablesAsync()
    {
        await using var session = await Database.OpenAsync();
        var sql = Database.Dialect == DialectKind.Postgres
            ? "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()"
            : "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()";
        return (await session.QueryAsync(sql, null, CancellationToken.None)).Select(r => Convert.ToString(r[0])!)
            .Where(t => !StateTableNames.Default.All.Contains(t, StringComparer.Ordinal)).OrderBy(t => t, StringComparer.Ordinal).ToList();
    }

    /// <summary>PostgreSQL: ghost-copy replication slots and publications left in this database (0 on MariaDB, which has none).</summary>
    public async Task<long> SlotsAndPublicationsAsync()
    {
        if (Database.Dialect != DialectKind.Postgres)
        {
            return 0;
        }

        await using var session = await Database.OpenAsync();
        var rows = await session.QueryAsync(
            "SELECT (SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'sb_ghost_%' AND database = current_database()) + (SELECT count(*) FROM pg_publication WHERE pubname LIKE 'sb_ghost_%')",
            null, CancellationToken.None);
        return Convert.ToInt64(rows[0][0]);
    }

    /// <summary>The declared type of <c>items.qty</c> as the server reports it.</summary>
    public async Task<string> QtyTypeAsync()
    {
        await using var session = await Database.OpenAsync();
        var sql = Database.Dialect == DialectKind.Postgres
            ? "SELECT data_type::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'items' AND column_name = 'qty'"
            : "SELECT data_type FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'items' AND column_name = 'qty'";
        return Convert.ToString((await session.QueryAsync(sql, null, CancellationToken.None))[0][0])!;
    }
}
