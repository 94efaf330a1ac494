using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MySqlConnector;
using Npgsql;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Engines.MySql;
using SchemaBuild.Runtime.Engines.Postgres;
using SchemaBuild.Runtime.Tests.GhostCopy.Load;

namespace SchemaBuild.Runtime.Tests.GhostCopy.Gate;

/// <summary>
/// A deployment with two ghost copies and other steps between them in the plan: <c>items</c> and
/// <c>stock</c> widen <c>qty</c> (ghost copies), <c>notes</c> gains a column, <c>shelf</c> renames one,
/// <c>stock</c> gains an index. Each copied table has its own writers' model.
/// </summary>
internal sealed record TwoTables(Core.Planning.Plan Plan, TestDatabase Database, IReadOnlyList<WriteLoad> Loads)
{
    public const string MariaDbBaseline =
        "CREATE TABLE items (id INT NOT NULL PRIMARY KEY, qty INT NOT NULL, name VARCHAR(40) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n"
        + "CREATE TABLE notes (id INT NOT NULL PRIMARY KEY, body VARCHAR(40) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n"
        + "CREATE TABLE stock (id INT NOT NULL PRIMARY KEY, qty INT NOT NULL, name VARCHAR(40) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n"
        + "CREATE TABLE shelf (id INT NOT NULL PRIMARY KEY, label VARCHAR(40) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n";

    public const string MariaDbDesired =
        "CREATE TABLE items (id INT NOT NULL PRIMARY KEY, qty BIGINT NOT NULL, name VARCHAR(40) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n"
        + "CREATE TABLE notes (id INT NOT NULL PRIMARY KEY, body VARCHAR(40) NOT NULL, tag VARCHAR(10) NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n"
        + "CREATE TABLE stock (id INT NOT NULL PRIMARY KEY, qty BIGINT NOT NULL, name VARCHAR(40) NOT NULL, KEY ix_stock_name (name)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n"
        + "CREATE TABLE shelf (id INT NOT NULL PRIMARY KEY,\n  title VARCHAR(40) NOT NULL -- schema:renamed-from label\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n"
        + "-- schema:allow SB2002 shelf.title \"the application reads the new name only after the cutover\"\n";

    public const string PostgresBaseline =
        "CREATE TABLE items (id integer NOT NULL PRIMARY KEY, qty integer NOT NULL, name varchar(40) NOT NULL);\n"
        + "CREATE TABLE notes (id integer NOT NULL PRIMARY KEY, body varchar(40) NOT NULL);\n"
        + "CREATE TABLE stock (id integer NOT NULL PRIMARY KEY, qty integer NOT NULL, name varchar(40) NOT NULL);\n"
        + "CREATE TABLE shelf (id integer NOT NULL PRIMARY KEY, label varchar(40) NOT NULL);\n";

    public const string PostgresDesired =
        "CREATE TABLE items (id integer NOT NULL PRIMARY KEY, qty bigint NOT NULL, name varchar(40) NOT NULL);\n"
        + "CREATE TABLE notes (id integer NOT NULL PRIMARY KEY, body varchar(40) NOT NULL, tag varchar(10) NULL);\n"
        + "CREATE TABLE stock (id integer NOT NULL PRIMARY KEY, qty bigint NOT NULL, name varchar(40) NOT NULL);\n"
        + "CREATE INDEX ix_stock_name ON stock (name);\n"
        + "CREATE TABLE shelf (id integer NOT NULL PRIMARY KEY,\n  title varchar(40) NOT NULL -- schema:renamed-from label\n);\n"
        + "-- schema:allow SB2002 public.shelf.title \"the application reads the new name only after the cutover\"\n";

    public static async Task<TwoTables> CreateAsync(DialectKind dialect, string label, int rows, int workersPerTable, double writesPerSecondPerTable)
    {
        var postgres = dialect == DialectKind.Postgres;
        var database = await TestDatabase.CreateAsync(dialect, label);
        await database.RunAsync(postgres ? PostgresBaseline : MariaDbBaseline);
        if (postgres)
        {
            await database.RunAsync($"INSERT INTO items SELECT g, g % 1000, 's' || g FROM generate_series(1, {rows}) g;\nINSERT INTO stock SELECT * FROM items;\nINSERT INTO shelf VALUES (1, 'top');\n");
            // Vacuumed now: an autovacuum of the fresh rows would hold the lock CREATE PUBLICATION waits for.
            await database.RunAsync("VACUUM ANALYZE items;\nVACUUM ANALYZE stock;\n");
        }
        else
        {
            await database.RunAsync($"INSERT INTO items (id, qty, name) SELECT seq, seq % 1000, CONCAT('s', seq) FROM seq_1_to_{rows};\nINSERT INTO stock SELECT * FROM items;\nINSERT INTO shelf VALUES (1, 'top');\n");
        }

        var loads = new List<WriteLoad>();
        foreach (var table in new[] { "items", "stock" })
        {
            var load = new WriteLoad(new LoadTarget(ct => OpenAsync(database, ct), postgres ? table : $"`{table}`"), workersPerTable, writesPerSecondPerTable);
            await load.LoadModelAsync(CancellationToken.None);
            loads.Add(load);
        }

        var plan = postgres ? Plans.Between(dialect, PostgresBaseline, PostgresDesired) : Plans.Between(dialect, MariaDbBaseline, MariaDbDesired);
        return new TwoTables(plan, database, loads);
    }

    /// <summary>The columns of a table as the server lists them, in order.</summary>
    public async Task<IReadOnlyList<string>> ColumnsAsync(string table)
    {
        await using var session = await Database.OpenAsync();
        var sql = Database.Dialect == DialectKind.Postgres
            ? $"SELECT column_name::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = {session.Parameter(0)} ORDER BY ordinal_position"
            : $"SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = {session.Parameter(0)} ORDER BY ordinal_position";
        return (await session.QueryAsync(sql, new object?[] { table }, CancellationToken.None)).Select(r => Convert.ToString(r[0])!).ToList();
    }

    /// <summary>The declared type of <c>qty</c> in <paramref name="table"/>.</summary>
    public async Task<string> QtyTypeAsync(string table)
    {
        await using var session = await Database.OpenAsync();
        var sql = Database.Dialect == DialectKind.Postgres
            ? $"SELECT data_type::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = {session.Parameter(0)} AND column_name = 'qty'"
            : $"SELECT data_type FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = {session.Parameter(0)} AND column_name = 'qty'";
        return Convert.ToString((await session.QueryAsync(sql, new object?[] { table }, CancellationToken.None))[0][0])!;
    }

    private static async Task<DbConnection> OpenAsync(TestDatabase database, CancellationToken cancellationToken)
    {
        DbConnection connection = database.Dialect == DialectKind.Postgres
            ? new NpgsqlConnection(PostgresSession.ConnectionString(database.Url, TimeSpan.FromMinutes(5)))
            : new MySqlConnection(MySqlSession.ConnectionString(database.Url, TimeSpan.FromMinutes(5)));
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
