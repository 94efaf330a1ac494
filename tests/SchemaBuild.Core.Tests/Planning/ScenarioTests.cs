using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Loading;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Core.Syntax;
using SchemaBuild.Core.Tests.Infrastructure;
using Xunit;

namespace SchemaBuild.Core.Tests.Planning;

/// <summary>
/// The scenario suite: (baseline, desired) pairs with expected diagnostics, strategies, order and
/// SQL. Every scenario whose plan has no errors is also run for real: the baseline is loaded into
/// a throwaway database, seeded, plan.sql is run with the command-line client, and the server's
/// schema must equal the desired model with the seeded rows still there.
/// </summary>
public sealed class ScenarioTests
{
    public static IEnumerable<object[]> Scenarios(string dialect) =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Scenarios", dialect), "*.scenario")
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => new object[] { Path.GetFileName(p) });

    public static IEnumerable<object[]> MySqlScenarios() => Scenarios("mysql");

    public static IEnumerable<object[]> PostgresScenarios() => Scenarios("postgres");

    [Fact]
    public void The_suite_has_at_least_sixty_scenarios() =>
        Assert.True(MySqlScenarios().Count() + PostgresScenarios().Count() >= 60, "the scenario suite needs at least 60 scenarios");

    [Theory]
    [MemberData(nameof(MySqlScenarios))]
    public void MySql_scenario(string file) => Run(Path.Combine(AppContext.BaseDirectory, "Scenarios", "mysql", file));

    [Theory]
    [MemberData(nameof(PostgresScenarios))]
    public void Postgres_scenario(string file) => Run(Path.Combine(AppContext.BaseDirectory, "Scenarios", "postgres", file));

    private static void Run(string path)
    {
        var scenario = Scenario.Load(path);
        var plan = PlanOf(scenario);
        var planSql = PlanSql.Write(plan);
        var context = $"{scenario.Name}\n--- plan.sql ---\n{planSql}\n--- diagnostics ---\n{string.Join("\n", plan.Diagnostics)}";
        foreach (var expectation in scenario.Expectations)
        {
            ScenarioExpectations.Check(expectation, plan, planSql, context);
        }

        // Determinism: the same input writes the same bytes.
        Assert.Equal(PlanJson.Write(plan), PlanJson.Write(PlanOf(scenario)));

        if (!plan.HasErrors)
        {
            ScenarioDeployment.Verify(scenario, plan, planSql, context);
        }
    }

    internal static Plan PlanOf(Scenario scenario)
    {
        var dialect = SqlDialects.For(scenario.Dialect);
        var baseline = Load(dialect, scenario.Baseline, "baseline.sql");
        var desired = Load(dialect, scenario.Desired, "desired.sql");
        var plan = Planner.Create(baseline, desired, EngineProfile.For(scenario.Dialect));
        return plan;
    }

    internal static Schema Load(ISqlDialect dialect, string text, string file)
    {
        var result = SchemaLoader.Load(dialect, new[] { new SourceFile(file, text) });
        var errors = result.Diagnostics.Where(d => d.Id.StartsWith("SB000", StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, $"{file} does not load:\n{string.Join("\n", errors)}");
        return result.Schema;
    }
}
