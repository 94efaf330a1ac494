using System;
using System.CommandLine;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Runtime.Engines;
using SchemaBuild.Runtime.Sessions;

namespace SchemaBuild.Cli.Commands;

/// <summary><c>dotnet schema diff</c>: desired schema files against the live database, as a plan.</summary>
public static class DiffCommand
{
    public static Command Create()
    {
        var connection = new ConnectionOption();
        var input = new SchemaInputOptions(withBaseline: false);
        var format = new Option<string>("--format") { Description = "text, json, sql or markdown.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "sql", "markdown");
        var command = new Command("diff", "Compare schema files with the live database and print the plan that would make the database match them.");
        input.AddTo(command);
        command.Options.Add(connection.Connection);
        command.Options.Add(format);
        var stateTables = new StateTableOptions();
        stateTables.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var url = connection.Read(parseResult);
            var names = stateTables.Read(parseResult);
            return await RuntimeErrors.RunAsync(url, Console.Error, async () =>
            {
                await using var session = await DatabaseSessions.OpenAsync(url, DatabaseSessions.DefaultCommandTimeout, cancellationToken);
                var compilation = await LivePlan.CompileAsync(session, input.Resolve(parseResult, session.Dialect).Request, null, names, cancellationToken);
                var chosen = parseResult.GetValue(format)!;
                if (chosen == "text" || compilation.Plan is null)
                {
                    DiagnosticPrinter.Print(compilation.Diagnostics, Console.Error);
                }

                if (compilation.Plan is { } plan)
                {
                    Console.Out.Write(chosen switch
                    {
                        "json" => PlanJson.Write(plan),
                        "sql" => PlanSql.Write(plan),
                        "markdown" => PlanMarkdown.Write(plan),
                        _ => plan.Steps.Count == 0 ? $"{session.DatabaseName} matches the schema files: nothing to do.\n" : PlanText.Write(plan),
                    });
                }

                return compilation.HasErrors ? ExitCodes.Unsafe : ExitCodes.Success;
            });
        });
        return command;
    }
}
