using System;
using System.CommandLine;
using System.Linq;
using System.Text;
using SchemaBuild.Cli.Output;
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
            var resolved = input.Resolve(parseResult);
            var compilation = SchemaInputOptions.Compile(resolved.Request);
            var links = resolved.HelpLinkBase;
            var chosen = parseResult.GetValue(format)!;
            if (chosen == "text" || compilation.Plan is null)
            {
                DiagnosticPrinter.Print(compilation.Diagnostics, Console.Error);
                Console.Error.Write(DiagnosticFormats.RulePages(compilation.Diagnostics, links));
            }

            if (chosen == "json" && compilation.Plan is null)
            {
                // No plan (syntax errors, a bad baseline): still a JSON document, with the diagnostics that say why.
                output.Write(parseResult, DiagnosticFormats.Document(compilation.Diagnostics, error: null));
            }

            if (compilation.Plan is { } plan)
            {
                output.Write(parseResult, chosen switch
                {
                    "json" => PlanJson.Write(plan, links),
                    "sql" => PlanSql.Write(plan),
                    "markdown" => PlanMarkdown.Write(plan, links),
                    _ => PlanText.Write(plan),
                });
            }

            return compilation.HasErrors ? ExitCodes.Unsafe : ExitCodes.Success;
        });
        return command;
    }
}
