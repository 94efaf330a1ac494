using System;
using System.CommandLine;
using System.Linq;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Loading;

namespace SchemaBuild.Cli.Commands;

/// <summary>
/// <c>dotnet schema show</c>: parses and normalizes schema files and prints the model as canonical
/// DDL — what SchemaBuild understood the files to mean. Diagnostics go to standard error.
/// </summary>
public static class ShowCommand
{
    public static Command Create()
    {
        var input = new SchemaInputOptions(withBaseline: false);
        var command = new Command("show", "Parse and normalize schema files and print them as canonical SQL.");
        input.AddTo(command);
        command.SetAction(parseResult =>
        {
            var request = input.Resolve(parseResult).Request;
            var dialect = SqlDialects.For(request.Dialect);
            var result = SchemaLoader.Load(dialect, request.Files);
            var hasErrors = DiagnosticPrinter.Print(result.Diagnostics, Console.Error);
            Console.Out.Write(dialect.Writer.WriteSchema(result.Schema));
            var schema = result.Schema;
            Console.Error.WriteLine(
                $"{schema.Tables.Count} tables, {schema.Views.Count} views, {schema.Tables.Sum(t => t.Columns.Count)} columns; "
                + $"{result.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error)} errors, "
                + $"{result.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning)} warnings");
            return hasErrors ? ExitCodes.Unsafe : ExitCodes.Success;
        });
        return command;
    }
}
