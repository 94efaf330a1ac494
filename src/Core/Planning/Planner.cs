using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Diff;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Rules;
using SchemaBuild.Core.Serialization;

namespace SchemaBuild.Core.Planning;

/// <summary>
/// Baseline + desired model → validated plan: diff, order, engine steps, order validation,
/// rules, acknowledgements and overrides, fingerprints.
/// </summary>
public static class Planner
{
    public static Plan Create(Schema source, Schema target, EngineProfile engine, SeverityOverrides? overrides = null)
    {
        overrides ??= SeverityOverrides.None;
        var diagnostics = new List<Diagnostic>();
        target = EngineColumnOrder.Reachable(source, target, engine, diagnostics);
        var changes = SchemaDiffer.Diff(source, target);
        IReadOnlyList<PlanStep> steps;
        try
        {
            var ordered = ChangeOrderer.Order(changes);
            steps = StepPlanners.For(engine).Plan(ordered, source, diagnostics);
            foreach (var problem in PlanValidator.Validate(source, target, steps))
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.NoOnlineStrategy, "the plan's order does not hold: " + problem));
            }
        }
        catch (PlanOrderException ex)
        {
            steps = new List<PlanStep>();
            diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.UnresolvedReference, ex.Message));
        }

        diagnostics.AddRange(RuleEngine.Evaluate(changes, engine));
        var finished = SchemaBuild.Core.Loading.SchemaLoader.Order(RuleEngine.Finish(diagnostics, target.Allowances, overrides)).ToList();
        return new Plan(engine, source, target, AttachDiagnostics(steps, finished).ToEquatableList(), finished.ToEquatableList())
        {
            SourceFingerprint = ModelFingerprint.Compute(source),
            TargetFingerprint = ModelFingerprint.Compute(target),
            Severities = overrides.ToString(),
        };
    }

    /// <summary>Each step lists the ids of diagnostics about the objects it changes.</summary>
    private static IEnumerable<PlanStep> AttachDiagnostics(IEnumerable<PlanStep> steps, IReadOnlyList<Diagnostic> diagnostics)
    {
        // Indexed by object once: a scan of all diagnostics per step is quadratic on large schemas.
        var byObject = diagnostics.Where(d => d.Object is not null && d.Severity != DiagnosticSeverity.Hidden)
            .ToLookup(d => d.Object!, d => d.Id, System.StringComparer.OrdinalIgnoreCase);
        foreach (var step in steps)
        {
            var objects = new HashSet<string>(step.Changes.Select(c => c.ObjectName).Append(step.ObjectName), System.StringComparer.OrdinalIgnoreCase);
            var ids = objects.SelectMany(o => byObject[o])
                .Concat(step.Diagnostics)
                .Distinct()
                .OrderBy(id => id, System.StringComparer.Ordinal);
            // Statements are stored without terminators; plan.sql and the runtime add their own.
            var sql = step.Sql.Select(s => s.TrimEnd().TrimEnd(';').TrimEnd()).Where(s => s.Length > 0);
            yield return step with { Diagnostics = ids.ToEquatableList(), Sql = sql.ToEquatableList() };
        }
    }
}
