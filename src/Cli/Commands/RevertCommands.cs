using System;
using System.CommandLine;
using SchemaBuild.Runtime.Engines;
using SchemaBuild.Runtime.Online;

namespace SchemaBuild.Cli.Commands;

/// <summary><c>dotnet schema revert</c>: swaps a deployment's ghost-copied tables back during their revert window, from any machine.</summary>
public static class RevertCommands
{
    public static Command Revert()
    {
        var connection = new ConnectionOption();
        var targets = new TargetsOption();
        var deployment = new Option<string>("--deployment") { Description = "The deployment id (see 'dotnet schema status').", Required = true };
        var lockWait = new Option<double>("--cutover-lock-wait") { Description = "Seconds the swap back may wait for (and hold) its locks per attempt; it retries with backoff.", DefaultValueFactory = _ => 3 };
        var stateTables = new StateTableOptions();
        var command = new Command("revert",
            "Swap the tables a deployment's ghost copies cut over back to their old definition, during the revert window. Every write made since the cutover is kept; columns only the new definition has are dropped. With --targets, on every shard in turn.");
        command.Options.Add(connection.Connection);
        targets.AddTo(command);
        command.Options.Add(deployment);
        command.Options.Add(lockWait);
        stateTables.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var id = parseResult.GetValue(deployment)!;
            var names = stateTables.Read(parseResult);
            if (parseResult.GetValue(lockWait) <= 0)
            {
                throw new UsageException("--cutover-lock-wait must be positive");
            }

            return await TargetsOption.RunAsync(parseResult, connection, targets, url => RuntimeErrors.RunAsync(url, Console.Error, async () =>
            {
                await using var session = await DatabaseSessions.OpenAsync(url, DatabaseSessions.DefaultCommandTimeout, cancellationToken);
                try
                {
                    var options = GhostCopyOptions.Default with { CutoverLockWait = TimeSpan.FromSeconds(parseResult.GetValue(lockWait)) };
                    var result = await RevertWindows.RevertAsync(session, names, id, options, line => Console.Out.WriteLine(url.Redact(line)), cancellationToken);
                    Console.Out.WriteLine($"deployment {id} reverted: {string.Join(", ", result.Tables)} back to the old definition; writers waited {result.LockHeld.TotalMilliseconds:0} ms.");
                    return ExitCodes.Success;
                }
                catch (RevertRefusedException ex)
                {
                    Console.Error.WriteLine("error: " + url.Redact(ex.Message));
                    return ExitCodes.Usage;
                }
            }));
        });
        return command;
    }
}
