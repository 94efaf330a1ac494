using System.Linq;
using System.Text;
using SchemaBuild.Core.Planning;

namespace SchemaBuild.Cli.Commands;

/// <summary>The text form of a plan (plan, diff and deploy --dry-run print it).</summary>
public static class PlanText
{
    public static string Write(Plan plan)
    {
        var text = new StringBuilder();
        text.Append($"Plan for {plan.Engine}: {plan.Steps.Count} step(s)\n");
        foreach (var step in plan.Steps)
        {
            text.Append($"\n{step.Id,3}. {step.Change} {step.ObjectName} [{StrategyNames.Of(step.Strategy)}]");
            if (step.Diagnostics.Count > 0)
            {
                text.Append(" (").Append(string.Join(", ", step.Diagnostics)).Append(')');
            }

            text.Append('\n');
            foreach (var statement in step.Sql)
            {
                text.Append("     ").Append(statement.Replace("\n", "\n     ")).Append(";\n");
            }
        }

        var errors = plan.Diagnostics.Count(d => d.Severity == Core.Diagnostics.DiagnosticSeverity.Error && !d.Acknowledged);
        text.Append(errors == 0 ? "\nNo errors: the plan is safe to deploy.\n" : $"\n{errors} error(s): the plan is unsafe; see the diagnostics above.\n");
        return text.ToString();
    }
}
