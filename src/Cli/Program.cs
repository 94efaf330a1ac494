using System;
using System.CommandLine;
using System.IO;
using SchemaBuild.Cli;
using SchemaBuild.Cli.Commands;

var root = new RootCommand("SchemaBuild: schema migrations as code. Compile declarative SQL schema files into safe deployment plans.");
root.Subcommands.Add(PlanCommand.Create());
root.Subcommands.Add(LintCommand.Create());
root.Subcommands.Add(BaselineCommand.Create());
root.Subcommands.Add(ShowCommand.Create());
root.Subcommands.Add(InspectCommand.Create());
root.Subcommands.Add(DiffCommand.Create());
root.Subcommands.Add(DeployCommand.Create());
root.Subcommands.Add(StatusCommand.Create());
root.Subcommands.Add(AbandonCommand.Create());

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine("error: " + error.Message);
    }

    Console.Error.WriteLine("Run 'dotnet schema --help' for usage.");
    return ExitCodes.Usage;
}

try
{
    // Our handlers turn expected failures into messages; anything else is a bug and keeps its stack trace.
    return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (UsageException ex)
{
    Console.Error.WriteLine("error: " + ex.Message);
    return ExitCodes.Usage;
}
catch (IOException ex)
{
    Console.Error.WriteLine("error: " + ex.Message);
    return ExitCodes.Usage;
}
