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
        var allowList = allowances.ToList();
        return diagnostics
            .Select(overrides.Apply)
            .Select(d => Acknowledge(d, allowList))
            .ToList();
    }

    private static Diagnostic Acknowledge(Diagnostic diagnostic, IReadOnlyList<Allowance> allowances)
    {
        if (diagnostic.Object is null)
        {
            return diagnostic;
        }

        var allowance = allowances.FirstOrDefault(a => a.DiagnosticId == diagnostic.Id && SameObject(a.ObjectName, diagnostic.Object));
        return allowance is null ? diagnostic : diagnostic with { Acknowledged = true, Reason = allowance.Reason };
    }

    /// <summary>Object names match ignoring case and, for PostgreSQL, an omitted <c>public.</c>.</summary>
    internal static bool SameObject(string written, string reported) =>
        string.Equals(written, reported, StringComparison.OrdinalIgnoreCase)
        || string.Equals("public." + written, reported, StringComparison.OrdinalIgnoreCase);
}
