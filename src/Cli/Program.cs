using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using SchemaBuild.Cli;
using SchemaBuild.Cli.Commands;
using SchemaBuild.Cli.Output;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Loading;

// A deploy started by 'deploy --detach' writes everything to its log file.
DetachedDeploy.RedirectOutputWhenDetached();
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
root.Subcommands.Add(GhostCopyCommands.Pause(pause: true));
root.Subcommands.Add(GhostCopyCommands.Pause(pause: false));
root.Subcommands.Add(GhostCopyCommands.Complete());
root.Subcommands.Add(GateCommands.Cutover());
root.Subcommands.Add(GateCommands.Cancel());
root.Subcommands.Add(RevertCommands.Revert());

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
catch (Exception ex) when (ex is UsageException or IOException or UnauthorizedAccessException or SchemaFileException)
{
    // Usage errors; unreadable schema files and folders, FIFOs and devices among them; an unwritable --out: one line, no
    // stack trace. With --format json standard output still gets a JSON document.
    Console.Error.WriteLine("error: " + ex.Message);
    if (parsed.CommandResult.Command.Options.FirstOrDefault(o => o.Name == "--format") is Option<string> format && parsed.GetValue(format) == "json")
    {
        Console.Out.Write(DiagnosticFormats.Document(Array.Empty<Diagnostic>(), ex.Message, ExitCodes.Usage));
    }

    return ExitCodes.Usage;
}
