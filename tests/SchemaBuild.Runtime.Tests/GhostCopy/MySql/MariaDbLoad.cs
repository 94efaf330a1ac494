using System;
using System.Data.Common;
using System.Threading;
using System.Threading.Tasks;
using MySqlConnector;
using SchemaBuild.Runtime.Engines.MySql;
using SchemaBuild.Runtime.Tests.GhostCopy.Load;

namespace SchemaBuild.Runtime.Tests.GhostCopy.MySql;

/// <summary>The MariaDB side of the write load: connections with the sessions' settings, and a seeded table.</summary>
internal static class MariaDbLoad
{
    public const string Table = "CREATE TABLE items (id INT NOT NULL PRIMARY KEY, qty INT NOT NULL, name VARCHAR(40) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n";

    public static LoadTarget Target(TestDatabase database, string table = "`items`") => new(
        async ct =>
        {
            var connection = new MySqlConnection(MySqlSession.ConnectionString(database.Url, TimeSpan.FromMinutes(5)));
            await connection.OpenAsync(ct);
            return (DbConnection)connection;
        },
        table);

    /// <summary>A database with the seeded table, the int → bigint plan and a load whose model holds the seeded rows.</summary>
    public static async Task<(Core.Planning.Plan Plan, TestDatabase Database, WriteLoad Load)> SetUpAsync(string label, int rows, int workers, double writesPerSecond)
    {
        var plan = Plans.Between(Core.Model.DialectKind.MariaDb, Table, Table.Replace("qty INT", "qty BIGINT", StringComparison.Ordinal));
        var database = await TestDatabase.CreateAsync(Core.Model.DialectKind.MariaDb, label);
        await database.RunAsync(Table);
        await SeedAsync(database, rows);
        var load = new WriteLoad(Target(database), workers, writesPerSecond);
        await load.LoadModelAsync(CancellationToken.None);
        return (plan, database, load);
    }

    public static Task SeedAsync(TestDatabase database, int rows) =>
        database.RunAsync($"INSERT INTO items (id, qty, name) SELECT seq, seq % 1000, CONCAT('s', seq) FROM seq_1_to_{rows}");
}
