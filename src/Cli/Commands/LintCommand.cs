using System;
using System.CommandLine;
using SchemaBuild.Cli.Output;

namespace SchemaBuild.Cli.Commands;

/// <summary><c>dotnet schema lint</c>: diagnostics only, in text, JSON, SARIF or GitHub annotation form.</summary>
public static class LintCommand
{
    public static Command Create()
    {
        var input = new SchemaInputOptions(withBaseline: true);
        var output = new OutputTarget();
        var format = new Option<string>("--format") { Description = "text, json, sarif or github (workflow annotations).", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "sarif", "github");
        var command = new Command("lint", "Check schema files (and the changes against a baseline) and print diagnostics only.");
        input.AddTo(command);
        command.Options.Add(format);
        command.Options.Add(output.Out);
        command.SetAction(parseResult =>
        {
            var resolved = input.Resolve(parseResult);
            var compilation = SchemaInputOptions.Compile(resolved.Request);
            var links = resolved.HelpLinkBase;
            var text = parseResult.GetValue(format) switch
            {
                "json" => DiagnosticFormats.Json(compilation.Diagnostics, links),
                "sarif" => DiagnosticFormats.Sarif(compilation.Diagnostics, links),
                "github" => DiagnosticFormats.GitHub(compilation.Diagnostics, links),
                _ => DiagnosticFormats.Text(compilation.Diagnostics, links),
            };
            output.Write(parseResult, text);
            return compilation.HasErrors ? ExitCodes.Unsafe : ExitCodes.Success;
        });
        return command;
    }
}
