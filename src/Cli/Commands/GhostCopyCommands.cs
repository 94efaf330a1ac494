using System;
using System.CommandLine;
using System.Linq;
using SchemaBuild.Runtime.Engines;
using SchemaBuild.Runtime.Online;

namespace SchemaBuild.Cli.Commands;

/// <summary><c>dotnet schema pause|resume|complete</c>: control running and finished ghost copies through the control table.</summary>
public static class GhostCopyCommands
{
    /// <summary><c>pause</c> / <c>resume</c>: the running copy reads the flag at its next checkpoint (within seconds) and waits, applying changes meanwhile.</summary>
    public static Command Pause(bool pause)
    {
        var connection = new ConnectionOption();
        var deployment = new Option<string>("--deployment") { Description = "The deployment id (see 'dotnet schema status').", Required = true };
        var stateTables = new StateTableOptions();
        var command = new Command(pause ? "pause" : "resume", pause
            ? "Pause the ghost copies of a running deployment (changes keep being applied; no rows are copied and no cutover starts)."
            : "Resume paused ghost copies.");
        command.Options.Add(connection.Connection);
        command.Options.Add(deployment);
        stateTables.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var url = connection.Read(parseResult);
            var id = parseResult.GetValue(deployment)!;
            var names = stateTables.Read(parseResult);
            return await RuntimeErrors.RunAsync(url, Console.Error, async () =>
            {
                await using var session = await DatabaseSessions.OpenAsync(url, DatabaseSessions.DefaultCommandTimeout, cancellationToken);
                var store = new GhostCopyStore(session, names);
                var changed = await store.ExistsAsync(cancellationToken) ? await store.SetPausedAsync(id, pause, cancellationToken) : 0;
                if (changed == 0)
                {
                    throw new UsageException($"--deployment: deployment '{id}' has no unfinished ghost copy in {session.DisplayName}; run 'dotnet schema status' to list them");
                }

                Console.Out.WriteLine($"{changed} ghost cop{(changed == 1 ? "y" : "ies")} of deployment {id} {(pause ? "paused" : "resumed")}.");
                return ExitCodes.Success;
            });
        });
        return command;
    }

    /// <summary><c>complete</c>: drops the old tables kept by finished ghost copies.</summary>
    public static Command Complete()
    {
        var connection = new ConnectionOption();
        var targets = new TargetsOption();
        var deployment = new Option<string?>("--deployment") { Description = "Only this deployment's old tables (default: every finished ghost copy's)." };
        var stateTables = new StateTableOptions();
        var command = new Command("complete", "End the revert windows (the reverse stream stops) and drop the old tables that finished ghost copies kept (_<table>_old). With --targets, on every shard.");
        command.Options.Add(connection.Connection);
        targets.AddTo(command);
        command.Options.Add(deployment);
        stateTables.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var names = stateTables.Read(parseResult);
            return await TargetsOption.RunAsync(parseResult, connection, targets, url => RuntimeErrors.RunAsync(url, Console.Error, async () =>
            {
                await using var session = await DatabaseSessions.OpenAsync(url, DatabaseSessions.DefaultCommandTimeout, cancellationToken);
                var ended = await RevertWindows.CompleteAsync(session, names, parseResult.GetValue(deployment), cancellationToken);
                var dropped = ended.Concat(await new GhostCopyStore(session, names).CompleteAsync(parseResult.GetValue(deployment), cancellationToken)).ToList();
                Console.Out.WriteLine(dropped.Count == 0 ? $"no old tables kept in {session.DatabaseName}." : $"dropped {string.Join(", ", dropped)} in {session.DatabaseName}.");
                return ExitCodes.Success;
            }));
        });
        return command;
    }
}
