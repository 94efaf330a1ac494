using System;
using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Planning;
using SchemaBuild.Core.Rules;

namespace SchemaBuild.Runtime.Deployment;

/// <summary>
/// Deploy runs only SQL that SchemaBuild derives from the plan: the steps are recomputed from the
/// plan's source and target models with the same planner, and a plan whose fingerprints, steps,
/// strategies or statements differ (edited by hand, or by an attacker) is refused before anything runs.
/// So are its diagnostics: one removed, downgraded or marked acknowledged would let an unsafe plan past the
/// error check.
/// </summary>
public static class PlanVerifier
{
    /// <summary>
    /// Throws <see cref="PlanMismatchException"/> naming the first difference. Returns the plan with
    /// the recomputed steps, which carry their typed changes (plan.json does not).
    /// </summary>
    public static Plan Verify(Plan plan)
    {
        SeverityOverrides severities;
        try
        {
            severities = SeverityOverrides.Parse(plan.Severities);
        }
        catch (FormatException ex)
        {
            throw new PlanMismatchException($"the plan's 'severities' cannot be read: {ex.Message}. Nothing was run. Compile the plan again instead of editing it");
        }

        var expected = Planner.Create(plan.Source, plan.Target, plan.Engine, severities);
        if ((FirstDifference(plan, expected) ?? DiagnosticDifference(plan, expected)) is { } difference)
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

    /// <summary>
    /// Every diagnostic the models give (at the plan's severities) must be in the plan as it is: same id, object, severity
    /// and acknowledgement. The plan may hold more (the compile adds those of the schema files, which the models do not keep).
    /// </summary>
    private static string? DiagnosticDifference(Plan plan, Plan expected)
    {
        var written = new Dictionary<(string, string?, DiagnosticSeverity, bool), int>();
        foreach (var diagnostic in plan.Diagnostics)
        {
            var key = Key(diagnostic);
            written[key] = written.TryGetValue(key, out var count) ? count + 1 : 1;
        }

        // Hidden diagnostics are not written to plan.json.
        foreach (var diagnostic in expected.Diagnostics.Where(d => d.Severity != DiagnosticSeverity.Hidden))
        {
            var key = Key(diagnostic);
            if (written.TryGetValue(key, out var count) && count > 0)
            {
                written[key] = count - 1;
                continue;
            }

            var found = plan.Diagnostics.FirstOrDefault(d => d.Id == diagnostic.Id && string.Equals(d.Object, diagnostic.Object, StringComparison.Ordinal));
            return found is null
                ? $"diagnostic {diagnostic.Id} ({PlanJson.SeverityName(diagnostic.Severity)}) on {diagnostic.Object ?? "the plan"} is missing"
                : $"diagnostic {diagnostic.Id} on {diagnostic.Object ?? "the plan"} is {Describe(found)}, expected {Describe(diagnostic)}";
        }

        return null;

        static (string, string?, DiagnosticSeverity, bool) Key(Diagnostic d) => (d.Id, d.Object, d.Severity, d.Acknowledged);
        static string Describe(Diagnostic d) => PlanJson.SeverityName(d.Severity) + (d.Acknowledged ? ", acknowledged" : ", not acknowledged");
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

        if (!actual.Diagnostics.SequenceEqual(expected.Diagnostics, StringComparer.Ordinal))
        {
            return $"its diagnostics are [{string.Join(", ", actual.Diagnostics)}], expected [{string.Join(", ", expected.Diagnostics)}]";
        }

        if (actual.Transactional != expected.Transactional || actual.Lock != expected.Lock || actual.RewritesTable != expected.RewritesTable || actual.Table?.ToString() != expected.Table?.ToString())
        {
            return "its lock, transactional, rewritesTable or table field differs from the planner's";
        }

        return null;
    }
}
