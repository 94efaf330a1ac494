using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Core.Tests.Infrastructure;
using SchemaBuild.Tests.Shared;
using SchemaBuild.Core.Tests.MySql;
using SchemaBuild.Core.Tests.Postgres;
using Xunit.Sdk;

namespace SchemaBuild.Core.Tests.Planning;

/// <summary>
/// Plan fidelity against the real server: baseline loaded, seed rows inserted, plan.sql run with the
/// command-line client, then the server's own schema dump must parse to the desired model and the
/// rows named by <c>rows</c> expectations must still be there.
/// </summary>
internal static class ScenarioDeployment
{
    public static void Verify(Scenario scenario, Plan plan, string planSql, string context)
    {
        var dialect = SqlDialects.For(scenario.Dialect);
        using var server = scenario.Dialect == DialectKind.Postgres ? (IScenarioServer)new PostgresScenarioServer(scenario.Name) : new MariaDbScenarioServer(scenario.Name);
        server.Run(scenario.Baseline, "baseline");
        if (scenario.Seed.Trim().Length > 0)
        {
            server.Run(scenario.Seed, "seed");
        }

        try
        {
            server.Run(planSql, "plan.sql");
        }
        catch (InvalidOperationException ex)
        {
            throw new XunitException($"plan.sql failed on the server: {ex.Message}\n{context}");
        }

        var dumped = ScenarioTests.Load(dialect, server.DumpSchema(), "server dump");
        var expected = plan.Target with { Verbatim = EquatableList<VerbatimStatement>.Empty };
        ModelAssert.Equal(expected, dumped with { Verbatim = EquatableList<VerbatimStatement>.Empty }, $"after plan.sql the server's schema is not the desired one\n{context}");

        foreach (var expectation in scenario.Expectations.Where(e => e.StartsWith("rows ", StringComparison.Ordinal)))
        {
            var parts = expectation.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var count = server.Count(parts[1]);
            if (count != long.Parse(parts[2], CultureInfo.InvariantCulture))
            {
                throw new XunitException($"expected {parts[2]} rows in {parts[1]} after the plan, found {count}\n{context}");
            }
        }
    }

    private interface IScenarioServer : IDisposable
    {
        void Run(string sql, string what);

        string DumpSchema();

        long Count(string table);
    }

    private sealed class MariaDbScenarioServer : IScenarioServer
    {
        private readonly MariaDbOracle oracle;

        public MariaDbScenarioServer(string label) => oracle = new MariaDbOracle("plan_" + label);

        public void Run(string sql, string what) => oracle.Load(sql);

        public string DumpSchema() => oracle.ShowCreateAll();

        public long Count(string table) => long.Parse(oracle.Scalar("SELECT COUNT(*) FROM `" + table.Replace("`", "``") + "`"), CultureInfo.InvariantCulture);

        public void Dispose() => oracle.Dispose();
    }

    private sealed class PostgresScenarioServer : IScenarioServer
    {
        private readonly PostgresServer server = new();
        private readonly string database;

        public PostgresScenarioServer(string label) => database = server.CreateDatabase("plan_" + label);

        public void Run(string sql, string what) => server.Psql(database, sql);

        public string DumpSchema() => server.DumpSchema(database);

        public long Count(string table)
        {
            var test = TestServer.Postgres;
            var output = CommandLine.RunChecked("psql",
                new List<string> { "-X", "-At", "-h", test.Host, "-p", test.Port.ToString(CultureInfo.InvariantCulture), "-U", test.User, "-d", database, "-c", "SELECT count(*) FROM " + table },
                null, new Dictionary<string, string?> { ["PGPASSWORD"] = test.Password });
            return long.Parse(output.Trim(), CultureInfo.InvariantCulture);
        }

        public void Dispose() => server.DropDatabase(database);
    }
}
