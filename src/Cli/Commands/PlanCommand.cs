using System;
using System.CommandLine;
using System.Linq;
using System.Text;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Planning;

namespace SchemaBuild.Cli.Commands;

/// <summary><c>dotnet schema plan</c>: compile a plan and print it as text, JSON, SQL or Markdown.</summary>
public static class PlanCommand
{
    public static Command Create()
    {
        var input = new SchemaInputOptions(withBaseline: true);
        var output = new OutputTarget();
        var format = new Option<string>("--format") { Description = "text, json, sql or markdown.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "sql", "markdown");
        var command = new Command("plan", "Compile schema files into an ordered deployment plan against a baseline and print it.");
        input.AddTo(command);
        command.Options.Add(format);
        command.Options.Add(output.Out);
        command.SetAction(parseResult =>
        {
            var compilation = input.Compile(parseResult);
            var chosen = parseResult.GetValue(format)!;
            if (chosen == "text" || compilation.Plan is null)
            {
                DiagnosticPrinter.Print(compilation.Diagnostics, Console.Error);
            }

            if (compilation.Plan is { } plan)
            {
                output.Write(parseResult, chosen switch
                {
                    "json" => PlanJson.Write(plan),
                    "sql" => PlanSql.Write(plan),
                    "markdown" => PlanMarkdown.Write(plan),
                    _ => Text(plan),
                });
            }

            return compilation.HasErrors ? ExitCodes.Unsafe : ExitCodes.Success;
        });
        return command;
    }

    private static string Text(Plan plan)
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
