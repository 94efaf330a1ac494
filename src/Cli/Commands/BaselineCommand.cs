using System;
using System.CommandLine;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Loading;
using SchemaBuild.Core.Serialization;

namespace SchemaBuild.Cli.Commands;

/// <summary><c>dotnet schema baseline</c>: write a baseline snapshot of schema files.</summary>
public static class BaselineCommand
{
    public static Command Create()
    {
        var input = new SchemaInputOptions(withBaseline: false);
        var output = new OutputTarget();
        output.Out.Required = true;
        var command = new Command("baseline", "Write a baseline snapshot (schema.baseline.json) of what production has now, from schema files.");
        input.AddTo(command);
        command.Options.Add(output.Out);
        command.SetAction(parseResult =>
        {
            var request = input.Resolve(parseResult).Request;
            var result = SchemaLoader.Load(SqlDialects.For(request.Dialect), request.Files);
            if (DiagnosticPrinter.Print(result.Diagnostics, Console.Error))
            {
                Console.Error.WriteLine("error: the schema files have errors; no baseline written");
                return ExitCodes.Unsafe;
            }

            output.Write(parseResult, BaselineSnapshot.Write(result.Schema));
            return ExitCodes.Success;
        });
        return command;
    }
}
