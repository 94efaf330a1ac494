using System.Linq;
using SchemaBuild.Core.Planning;

namespace SchemaBuild.Runtime.Deployment;

/// <summary>
/// Deploy runs only SQL that SchemaBuild derives from the plan: the steps are recomputed from the
/// plan's source and target models with the same planner, and a plan whose fingerprints, steps,
/// strategies or statements differ (edited by hand, or by an attacker) is refused before anything runs.
/// </summary>
public static class PlanVerifier
{
    /// <summary>
    /// Throws <see cref="PlanMismatchException"/> naming the first difference. Returns the plan with
    /// the recomputed steps, which carry their typed changes (plan.json does not).
    /// </summary>
    public static Plan Verify(Plan plan)
    {
        var expected = Planner.Create(plan.Source, plan.Target, plan.Engine);
        if (FirstDifference(plan, expected) is { } difference)
        {
            throw new PlanMismatchException(
                $"the plan is not what SchemaBuild derives from its own source and target models: {difference}. "
                + "Nothing was run. Compile the plan again (dotnet build, or dotnet schema plan --format json) instead of editing it");
        }

        return plan with { Steps = expected.Steps };
    }

    /// <summary>The first way the plan differs from the one its models give (<paramref name="expected"/>); null when it is the same.</summary>
    private static string? FirstDifference(Plan plan, Plan expected)
    {
        if (plan.SourceFingerprint != expected.SourceFingerprint)
        {
            return $"sourceFingerprint is {plan.SourceFingerprint} but the source model's is {expected.SourceFingerprint}";
        }

        if (plan.TargetFingerprint != expected.TargetFingerprint)
        {
            return $"targetFingerprint is {plan.TargetFingerprint} but the target model's is {expected.TargetFingerprint}";
        }

        for (var i = 0; i < System.Math.Max(plan.Steps.Count, expected.Steps.Count); i++)
        {
            if (i >= plan.Steps.Count)
            {
                return $"step {expected.Steps[i].Id} ({expected.Steps[i].Change} {expected.Steps[i].ObjectName}) is missing";
            }

            if (i >= expected.Steps.Count)
            {
                return $"step {plan.Steps[i].Id} ({plan.Steps[i].Change} {plan.Steps[i].ObjectName}) is not derived from the models";
            }

            if (StepDifference(plan.Steps[i], expected.Steps[i]) is { } difference)
            {
                return $"step {plan.Steps[i].Id}: {difference}";
            }
        }

        return null;
    }

    private static string? StepDifference(PlanStep actual, PlanStep expected)
    {
        if (actual.Id != expected.Id)
        {
            return $"id is {actual.Id}, expected {expected.Id}";
        }

        if (actual.Change != expected.Change || actual.ObjectName != expected.ObjectName)
        {
            return $"is '{actual.Change} {actual.ObjectName}', expected '{expected.Change} {expected.ObjectName}'";
        }

        if (actual.Strategy != expected.Strategy)
        {
            return $"strategy is '{StrategyNames.Of(actual.Strategy)}', expected '{StrategyNames.Of(expected.Strategy)}'";
        }

        for (var i = 0; i < System.Math.Max(actual.Sql.Count, expected.Sql.Count); i++)
        {
            if (i >= actual.Sql.Count)
            {
                return $"statement {i + 1} is missing: {expected.Sql[i]}";
            }

            if (i >= expected.Sql.Count)
            {
                return $"statement {i + 1} is not derived from the models: {actual.Sql[i]}";
            }

            if (actual.Sql[i] != expected.Sql[i])
            {
                return $"statement {i + 1} is '{actual.Sql[i]}', expected '{expected.Sql[i]}'";
            }
        }

        if (actual.Transactional != expected.Transactional || actual.Lock != expected.Lock || actual.RewritesTable != expected.RewritesTable || actual.Table?.ToString() != expected.Table?.ToString())
        {
            return "its lock, transactional, rewritesTable or table field differs from the planner's";
        }

        return null;
    }
}
