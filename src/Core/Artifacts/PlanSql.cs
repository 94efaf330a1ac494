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
        var writer = SqlDialects.For(plan.Engine.Dialect).Writer;
        var text = new StringBuilder();
        Line(text, writer, "SchemaBuild plan for " + DialectNames.Of(plan.Engine.Dialect) + " " + plan.Engine.Version);
        Line(text, writer, "source " + plan.SourceFingerprint);
        Line(text, writer, "target " + plan.TargetFingerprint);
        if (plan.Steps.Count == 0)
        {
            Line(text, writer, "nothing to do: the schema is already the target");
        }

        foreach (var step in plan.Steps)
        {
            text.Append('\n').Append(StepComment(writer, step)).Append('\n');
            if (step.Strategy == Strategy.GhostCopy)
            {
                Line(text, writer, "online with dotnet schema deploy (ghost copy); as a script the statement below copies the table under lock");
            }

            foreach (var statement in step.Sql)
            {
                text.Append(statement.TrimEnd().TrimEnd(';')).Append(";\n");
            }
        }

        var errors = plan.Diagnostics.Where(d => d.Severity == Diagnostics.DiagnosticSeverity.Error && !d.Acknowledged).ToList();
        if (errors.Count > 0)
        {
            text.Append('\n');
            Line(text, writer, "this plan has " + errors.Count + " unacknowledged error(s); see plan.md");
        }

        return text.ToString();
    }

    /// <summary>
    /// The comment line before a step (plan.sql, the dry run): id, change, object, strategy, lock,
    /// diagnostics. Object names are user text: the whole line goes through the dialect's comment writer.
    /// </summary>
    public static string StepComment(IDdlWriter writer, PlanStep step)
    {
        var text = new StringBuilder();
        text.Append("step ").Append(step.Id).Append(": ").Append(step.Change).Append(' ').Append(step.ObjectName)
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

        return writer.Comment(text.ToString());
    }

    private static void Line(StringBuilder text, IDdlWriter writer, string comment) => text.Append(writer.Comment(comment)).Append('\n');
}
