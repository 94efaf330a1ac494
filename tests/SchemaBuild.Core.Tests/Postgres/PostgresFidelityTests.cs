using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Dialects.Postgres;
using SchemaBuild.Core.Tests.Infrastructure;
using Xunit;

namespace SchemaBuild.Core.Tests.Postgres;

/// <summary>
/// The server is the oracle: every corpus file is loaded into a fresh PostgreSQL 15 database, read
/// back with pg_dump --schema-only, and the normalized model of the dump must equal the normalized
/// model of the file. A difference is a normalizer bug (the corpus is the source of truth).
/// </summary>
public sealed class PostgresFidelityTests
{
    public static IEnumerable<object[]> Files() => PostgresTestSupport.CorpusFiles();

    [Fact]
    public void CorpusHasAtLeastFortyFiles() => Assert.True(Files().Count() >= 40, "the PostgreSQL corpus needs at least 40 files");

    [Theory]
    [MemberData(nameof(Files))]
    public void DumpOfLoadedFileHasTheSameModel(string file)
    {
        var sql = PostgresTestSupport.ReadCorpus(file);
        var expected = PostgresTestSupport.Model(sql, file);
        var server = new PostgresServer();
        var database = server.CreateDatabase(file.Replace(".sql", string.Empty));
        try
        {
            server.Psql(database, sql);
            var dump = server.DumpSchema(database);
            var actual = PostgresTestSupport.Model(dump, file + " (pg_dump)");
            ModelAssert.Equal(expected, actual, $"{file}: model of the file != model of pg_dump\n--- dump ---\n{dump}");
        }
        finally
        {
            server.DropDatabase(database);
        }
    }

    /// <summary>
    /// What SchemaBuild deploys means what the file says: the DDL writer's script of the file's model loads
    /// into a fresh database, and pg_dump of that database has the file's model again.
    /// </summary>
    [Theory]
    [MemberData(nameof(Files))]
    public void WrittenModelDeploysToTheSameModel(string file)
    {
        var expected = PostgresTestSupport.Model(PostgresTestSupport.ReadCorpus(file), file);
        var script = new PostgresDdlWriter().WriteSchema(expected);
        var server = new PostgresServer();
        var database = server.CreateDatabase("w" + file.Replace(".sql", string.Empty));
        try
        {
            server.Psql(database, script);
            var dump = server.DumpSchema(database);
            var actual = PostgresTestSupport.Model(dump, file + " (pg_dump)");
            ModelAssert.Equal(expected, actual, $"{file}: model of the file != model of the deployed script\n--- script ---\n{script}");
        }
        finally
        {
            server.DropDatabase(database);
        }
    }
}
