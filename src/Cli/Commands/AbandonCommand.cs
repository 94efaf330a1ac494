using System;
using System.CommandLine;
using SchemaBuild.Runtime.Engines;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Sessions;

namespace SchemaBuild.Cli.Commands;

/// <summary><c>dotnet schema abandon</c>: give up an unfinished deployment, so the next deploy starts from the live schema instead of resuming it.</summary>
public static class AbandonCommand
{
    public static Command Create()
    {
        var connection = new ConnectionOption();
        var deployment = new Option<string>("--deployment") { Description = "The deployment id (see 'dotnet schema status').", Required = true };
        var stateTables = new StateTableOptions();
        var command = new Command("abandon", "Mark an unfinished deployment abandoned: it is not resumed, and the next deploy starts from the live schema.");
        command.Options.Add(connection.Connection);
        command.Options.Add(deployment);
        stateTables.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var url = connection.Read(parseResult);
            var options = DeployOptions.Default with { StateTables = stateTables.Read(parseResult) };
            var id = parseResult.GetValue(deployment)!;
            return await RuntimeErrors.RunAsync(url, Console.Error, async () =>
            {
                await using var session = await DatabaseSessions.OpenAsync(url, DatabaseSessions.DefaultCommandTimeout, cancellationToken);
                var record = await new Deployer().AbandonAsync(session, id, options, cancellationToken);
                foreach (var problem in record.Problems)
                {
                    Console.Error.WriteLine("warning: control table: " + problem);
                }

                Console.Out.WriteLine($"deployment {id} ({record.Status}) abandoned in {session.DatabaseName}; the next deploy starts from the live schema.");
                return ExitCodes.Success;
            });
        });
        return command;
    }
}
