using System;
using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Diff;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Rules;

/// <summary>
/// Runs every rule over a change set, then applies <c>schema:allow</c> acknowledgements and
/// severity overrides. An acknowledged error no longer fails the build; its reason is kept.
/// </summary>
public static class RuleEngine
{
    private static readonly IRule[] Rules =
    {
        new DestructiveChangeRule(),
        new CompatibilityRule(),
        new DataDependentRule(),
        new ReplicationRule(),
        new DesignRule(),
    };

    public static IReadOnlyList<Diagnostic> Evaluate(ChangeSet changes, EngineProfile engine) => Evaluate(changes, engine, SeverityOverrides.None);

    public static IReadOnlyList<Diagnostic> Evaluate(ChangeSet changes, EngineProfile engine, SeverityOverrides overrides)
    {
        var context = new RuleContext(changes, engine);
        foreach (var rule in Rules)
        {
            rule.Check(context);
        }

        return Finish(context.Diagnostics, changes.To.Allowances, overrides);
    }

    /// <summary>Acknowledges and re-grades diagnostics from any stage (rules, planner, parser).</summary>
    public static IReadOnlyList<Diagnostic> Finish(IEnumerable<Diagnostic> diagnostics, IEnumerable<Allowance> allowances, SeverityOverrides overrides)
    {
        var index = AllowanceIndex(allowances);
        return diagnostics
            .Select(overrides.Apply)
            .Select(d => Acknowledge(d, index))
            .ToList();
    }

    private static Diagnostic Acknowledge(Diagnostic diagnostic, Dictionary<string, Dictionary<string, Allowance>> allowances)
    {
        if (diagnostic.Object is null || !allowances.TryGetValue(diagnostic.Id, out var byObject) || !byObject.TryGetValue(diagnostic.Object, out var allowance))
        {
            return diagnostic;
        }

        return diagnostic with { Acknowledged = true, Reason = allowance.Reason };
    }

    /// <summary>
    /// Allowances by diagnostic id, then by every object name they match, the first written winning: names match ignoring
    /// case and, for PostgreSQL, an omitted <c>public.</c>. One lookup per diagnostic instead of a scan of all allowances,
    /// which was quadratic on large schemas.
    /// </summary>
    private static Dictionary<string, Dictionary<string, Allowance>> AllowanceIndex(IEnumerable<Allowance> allowances)
    {
        var index = new Dictionary<string, Dictionary<string, Allowance>>(StringComparer.Ordinal);
        foreach (var allowance in allowances)
        {
            if (!index.TryGetValue(allowance.DiagnosticId, out var byObject))
            {
                byObject = new Dictionary<string, Allowance>(StringComparer.OrdinalIgnoreCase);
                index.Add(allowance.DiagnosticId, byObject);
            }

            foreach (var name in new[] { allowance.ObjectName, "public." + allowance.ObjectName })
            {
                if (!byObject.ContainsKey(name))
                {
                    byObject.Add(name, allowance);
                }
            }
        }

        return index;
    }
}
