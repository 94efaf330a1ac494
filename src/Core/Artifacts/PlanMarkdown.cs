using System.Linq;
using System.Text;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Planning;

namespace SchemaBuild.Core.Artifacts;

/// <summary>plan.md: the review summary for pull requests — steps, strategies, risks, diagnostics.</summary>
public static class PlanMarkdown
{
    public static string Write(Plan plan)
    {
        var text = new StringBuilder();
        var errors = plan.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error && !d.Acknowledged);
        var warnings = plan.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);
        text.Append("## SchemaBuild plan\n\n");
        text.Append(errors > 0 ? "**Unsafe:** " : "**Safe to deploy:** ")
            .Append(plan.Steps.Count).Append(" step(s) on ").Append(DialectNames.Of(plan.Engine.Dialect)).Append(' ').Append(plan.Engine.Version)
            .Append(", ").Append(errors).Append(" error(s), ").Append(warnings).Append(" warning(s)");
        var copies = plan.Steps.Count(s => s.Strategy == Strategy.GhostCopy);
        if (copies > 0)
        {
            text.Append(", ").Append(copies).Append(" online table copy(ies)");
        }

        text.Append(".\n\n");
        if (plan.Steps.Count > 0)
        {
            text.Append("| # | change | object | strategy | lock | risk |\n|---|---|---|---|---|---|\n");
            foreach (var step in plan.Steps)
            {
                text.Append("| ").Append(step.Id)
                    .Append(" | ").Append(step.Change)
                    .Append(" | `").Append(Escape(step.ObjectName)).Append('`')
                    .Append(" | ").Append(StrategyNames.Of(step.Strategy))
                    .Append(" | ").Append(PlanJson.LockName(step.Lock)).Append(step.RewritesTable ? ", rewrites" : string.Empty)
                    .Append(" | ").Append(Risk(plan, step))
                    .Append(" |\n");
            }

            text.Append('\n');
        }

        if (plan.Diagnostics.Count > 0)
        {
            text.Append("### Diagnostics\n\n");
            foreach (var diagnostic in plan.Diagnostics.Where(d => d.Severity != DiagnosticSeverity.Hidden))
            {
                text.Append("- **").Append(diagnostic.Id).Append("** ").Append(PlanJson.SeverityName(diagnostic.Severity));
                if (diagnostic.Acknowledged)
                {
                    text.Append(" (acknowledged: ").Append(Escape(diagnostic.Reason ?? string.Empty)).Append(')');
                }

                if (!diagnostic.Span.IsNone)
                {
                    text.Append(" at `").Append(diagnostic.Span.File).Append(':').Append(diagnostic.Span.Line).Append('`');
                }

                text.Append(": ").Append(Escape(diagnostic.Message)).Append('\n');
            }

            text.Append('\n');
        }

        text.Append("<sub>source ").Append(plan.SourceFingerprint).Append(" → target ").Append(plan.TargetFingerprint).Append("</sub>\n");
        return text.ToString();
    }

    private static string Risk(Plan plan, PlanStep step)
    {
        var worst = plan.Diagnostics
            .Where(d => step.Diagnostics.Contains(d.Id) && d.Severity >= DiagnosticSeverity.Warning)
            .OrderByDescending(d => d.Severity)
            .FirstOrDefault();
        if (worst is null)
        {
            return step.Strategy == Strategy.GhostCopy ? "table copy" : "low";
        }

        var label = worst.Severity == DiagnosticSeverity.Error && !worst.Acknowledged ? "**" + worst.Id + "**" : worst.Id;
        return label + (worst.Acknowledged ? " (acknowledged)" : string.Empty);
    }

    private static string Escape(string text) => text.Replace("|", "\\|").Replace("\n", " ");
}
