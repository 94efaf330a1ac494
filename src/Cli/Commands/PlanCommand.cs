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
        var format = new Option<string>("--format") { Description = "text, json, sql, markdown, or github-comment (the pull-request comment: steps with their SQL, ghost copies, diagnostics with links).", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "sql", "markdown", "github-comment");
        var tableRows = new Option<System.IO.FileInfo?>("--table-rows") { Description = "With --format github-comment: a JSON object of row counts per table ({\"shop.orders\": 1200000}) for the ghost-copy estimates." };
        var command = new Command("plan", "Compile schema files into an ordered deployment plan against a baseline and print it.");
        input.AddTo(command);
        command.Options.Add(format);
        command.Options.Add(tableRows);
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

            if (chosen == "github-comment")
            {
                // Written with or without a plan: the comment says why there is none.
                output.Write(parseResult, PullRequestComment.Write(compilation, resolved.DisplayName, links, TableRows.Read(parseResult.GetValue(tableRows))));
                return compilation.HasErrors ? ExitCodes.Unsafe : ExitCodes.Success;
            }

            if (chosen == "json" && compilation.Plan is null)
            {
                // No plan (syntax errors, a bad baseline): still a JSON document, with the diagnostics that say why.
                output.Write(parseResult, DiagnosticFormats.Document(compilation.Diagnostics, error: null));
            }

            if (compilation.Plan is { } json && chosen == "json")
            {
                // Streamed as it is written: plan.json of a large schema runs to hundreds of megabytes.
                output.Write(parseResult, writer => PlanJson.Write(json, writer, links));
            }
            else if (compilation.Plan is { } plan)
            {
                output.Write(parseResult, chosen switch
                {
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
