using System.Linq;
using System.Text;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Planning;

namespace SchemaBuild.Core.Artifacts;

/// <summary>
/// plan.sql: the plan as one script, runnable top to bottom with the engine's command-line client.
/// A comment before each step names its strategy, lock and diagnostics. Ghost-copy steps appear as
/// the equivalent blocking statement; <c>dotnet schema deploy</c> runs them online instead.
/// </summary>
public static class PlanSql
{
    public static string Write(Plan plan)
    {
        var text = new StringBuilder();
        text.Append("-- SchemaBuild plan for ").Append(DialectNames.Of(plan.Engine.Dialect)).Append(' ').Append(plan.Engine.Version).Append('\n');
        text.Append("-- source ").Append(plan.SourceFingerprint).Append('\n');
        text.Append("-- target ").Append(plan.TargetFingerprint).Append('\n');
        if (plan.Steps.Count == 0)
        {
            text.Append("-- nothing to do: the schema is already the target\n");
        }

        foreach (var step in plan.Steps)
        {
            text.Append('\n');
            text.Append("-- step ").Append(step.Id).Append(": ").Append(step.Change).Append(' ').Append(step.ObjectName)
                .Append(" [").Append(StrategyNames.Of(step.Strategy)).Append(", lock ").Append(PlanJson.LockName(step.Lock));
            if (step.RewritesTable)
            {
                text.Append(", rewrites the table");
            }

            text.Append(']');
            if (step.Diagnostics.Count > 0)
            {
                text.Append(" diagnostics: ").Append(string.Join(", ", step.Diagnostics));
            }

            text.Append('\n');
            if (step.Strategy == Strategy.GhostCopy)
            {
                text.Append("-- online with dotnet schema deploy (ghost copy); as a script the statement below copies the table under lock\n");
            }

            foreach (var statement in step.Sql)
            {
                text.Append(statement.TrimEnd().TrimEnd(';')).Append(";\n");
            }
        }

        var errors = plan.Diagnostics.Where(d => d.Severity == Diagnostics.DiagnosticSeverity.Error && !d.Acknowledged).ToList();
        if (errors.Count > 0)
        {
            text.Append("\n-- this plan has ").Append(errors.Count).Append(" unacknowledged error(s); see plan.md\n");
        }

        return text.ToString();
    }
}
