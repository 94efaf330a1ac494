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

    public static Task SeedAsync(TestDatabase database, int rows) =>
        database.RunAsync($"INSERT INTO items (id, qty, name) SELECT seq, seq % 1000, CONCAT('s', seq) FROM seq_1_to_{rows}");
}
