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
            var compilation = input.Compile(parseResult);
            var text = parseResult.GetValue(format) switch
            {
                "json" => DiagnosticFormats.Json(compilation.Diagnostics),
                "sarif" => DiagnosticFormats.Sarif(compilation.Diagnostics),
                "github" => DiagnosticFormats.GitHub(compilation.Diagnostics),
                _ => DiagnosticFormats.Text(compilation.Diagnostics),
            };
            output.Write(parseResult, text);
            return compilation.HasErrors ? ExitCodes.Unsafe : ExitCodes.Success;
        });
        return command;
    }
}
