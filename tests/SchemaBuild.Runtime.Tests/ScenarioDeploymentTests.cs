using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Runtime.Deployment;
using Xunit;

namespace SchemaBuild.Runtime.Tests;

/// <summary>
/// Fidelity of the whole runtime: every scenario of the plan suite whose plan is safe and has no
/// ghost copy is deployed for real (baseline loaded and seeded, live schema introspected and
/// recognised as the plan's source, steps run by the executor) and the introspected schema must
/// equal the desired one. The others must be refused without a change.
/// </summary>
public sealed class ScenarioDeploymentTests
{
    /// <summary>Ghost copies drop the old table at once: the deployed schema is compared with the target as a whole.</summary>
    private static readonly DeployOptions Options = DeployOptions.Default with { GhostCopy = SchemaBuild.Runtime.Online.GhostCopyOptions.Default with { DropOld = true } };

    public static TheoryData<string> MySql() => Data("mysql");

    public static TheoryData<string> Postgres() => Data("postgres");

    [Theory]
    [MemberData(nameof(MySql))]
    public Task MariaDb_scenario_deploys_to_the_desired_schema(string file) => RunAsync("mysql", file);

    [Theory]
    [MemberData(nameof(Postgres))]
    public Task Postgres_scenario_deploys_to_the_desired_schema(string file) => RunAsync("postgres", file);

    private static TheoryData<string> Data(string dialect)
    {
        var data = new TheoryData<string>();
        foreach (var row in ScenarioFile.All(dialect))
        {
            data.Add((string)row[0]);
        }

        return data;
    }

    private static async Task RunAsync(string dialect, string file)
    {
        var scenario = ScenarioFile.Load(dialect, file);
        var plan = scenario.Plan();
        await using var database = await TestDatabase.CreateAsync(scenario.Dialect, scenario.Name);
        if (scenario.Baseline.Trim().Length > 0)
        {
            await database.RunAsync(scenario.Baseline);
        }
        if (scenario.Seed.Trim().Length > 0)
        {
            await database.RunAsync(scenario.Seed);
        }

        await using var session = await database.OpenAsync();
        var introspector = session.CreateIntrospector(State.StateTableNames.Default.All);
        ModelAssert.Same(plan.Source, await introspector.IntrospectAsync(CancellationToken.None), $"{scenario.Name}: the introspected baseline is not the parsed baseline");
        var deployer = new Deployer();
        if (!scenario.Deployable(plan))
        {
            var refused = await Assert.ThrowsAsync<DeploymentRefusedException>(() => deployer.DeployAsync(plan, session, Options, CancellationToken.None));
            Assert.Equal(plan.HasErrors, refused.UnsafePlan);
            ModelAssert.Same(plan.Source, await introspector.IntrospectAsync(CancellationToken.None), $"{scenario.Name}: a refused deployment changed the schema");
            return;
        }

        if (scenario.FailsWith is { } expected)
        {
            var failed = await Assert.ThrowsAsync<StepFailedException>(() => deployer.DeployAsync(plan, session, Options, CancellationToken.None));
            Assert.Contains(expected, failed.Message, System.StringComparison.Ordinal);
            ModelAssert.Same(plan.Source, await introspector.IntrospectAsync(CancellationToken.None), $"{scenario.Name}: a stopped deployment changed the schema");
            return;
        }

        var result = await deployer.DeployAsync(plan, session, Options, CancellationToken.None);
        Assert.True(result.Outcome is DeploymentOutcome.Deployed or DeploymentOutcome.UpToDate, result.Outcome.ToString());
        var deployed = await introspector.IntrospectAsync(CancellationToken.None);
        ModelAssert.Same(plan.Target, deployed, $"{scenario.Name}: after deploy\n{PlanSql.Write(plan)}");

        // Comparing the files with what was deployed finds nothing left to do (no drift, e.g. from column order).
        var drift = scenario.PlanFrom(deployed);
        Assert.True(drift.Steps.Count == 0, $"{scenario.Name}: after deploy the files still differ from the live schema:\n{PlanSql.Write(drift)}");

        // Deploying the same plan again finds the target and does nothing.
        var again = await deployer.DeployAsync(plan, session, Options, CancellationToken.None);
        Assert.Equal(DeploymentOutcome.UpToDate, again.Outcome);
    }
}
