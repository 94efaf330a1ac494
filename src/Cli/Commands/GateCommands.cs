using System;
using System.CommandLine;
using System.Linq;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Engines;
using SchemaBuild.Runtime.State;

namespace SchemaBuild.Cli.Commands;

/// <summary>
/// <c>dotnet schema cutover|cancel</c>: operate a deployment held at the gate (deploy --gate manual)
/// from any machine, through the control tables; the process that runs the deployment acts on them.
/// </summary>
public static class GateCommands
{
    /// <summary><c>cutover</c>: records the approval; the running deploy cuts every table of the deployment over within seconds.</summary>
    public static Command Cutover()
    {
        var (command, connection, deployment, by, stateTables) = Create("cutover",
            "Approve the cutover of a deployment held at the gate (deploy --gate manual): the running deploy swaps all its tables. Approving before it is ready cuts over as soon as it is.");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var url = connection.Read(parseResult);
            var id = parseResult.GetValue(deployment)!;
            return await RuntimeErrors.RunAsync(url, Console.Error, async () =>
            {
                await using var session = await DatabaseSessions.OpenAsync(url, DatabaseSessions.DefaultCommandTimeout, cancellationToken);
                var copies = await DeploymentGate.ApproveAsync(session, stateTables.Read(parseResult), id, Actor(parseResult, by), cancellationToken);
                if (DeploymentGate.CutOver(copies))
                {
                    Console.Out.WriteLine($"deployment {id} is already cut over in {session.DatabaseName}.");
                    return ExitCodes.Success;
                }

                var approval = copies.First(c => c.ApprovedBy is not null);
                var ready = DeploymentGate.Ready(copies);
                Console.Out.WriteLine($"deployment {id}: cutover approved by {approval.ApprovedBy} at {StatusCommand.IsoTime(approval.ApprovedAt!.Value)}; "
                                      + (ready ? "the running deploy cuts over within seconds." : $"it cuts over as soon as every table is in sync ({string.Join(", ", copies.Select(c => $"{c.Table}: {c.State}"))})."));
                if (copies.Max(c => c.HeartbeatAt) is not { } beat || DateTimeOffset.UtcNow - beat > DeploymentGate.StaleAfter)
                {
                    Console.Error.WriteLine($"warning: no process has checkpointed deployment {id} since {(copies.Max(c => c.HeartbeatAt) is { } last ? StatusCommand.IsoTime(last) : "it started")}: "
                                            + "run deploy again with the same plan; it resumes from the checkpoints and cuts over once in sync.");
                }

                Console.Out.WriteLine($"Follow it with: dotnet schema status --deployment {id} --wait-for done");
                return ExitCodes.Success;
            });
        });
        return command;
    }

    /// <summary><c>cancel</c>: before the cutover, removes the shadows, changelogs, slots and publications; the originals are untouched.</summary>
    public static Command Cancel()
    {
        var (command, connection, deployment, by, stateTables) = Create("cancel",
            "Cancel a deployment before its cutover: remove its shadow and changelog tables (PostgreSQL: replication slots and publications). The original tables are untouched; the deployment is not resumed. With --slot: drop an orphaned replication slot.");
        var wait = new Option<double>("--wait") { Description = "Seconds to wait for a running deploy to stop.", DefaultValueFactory = _ => 60 };
        var slot = new Option<string?>("--slot") { Description = "Instead of a deployment: drop an orphaned ghost-copy replication slot and its publication (PostgreSQL; 'dotnet schema status' lists them)." };
        deployment.Required = false;
        command.Options.Add(wait);
        command.Options.Add(slot);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var url = connection.Read(parseResult);
            var id = parseResult.GetValue(deployment);
            var orphan = parseResult.GetValue(slot);
            if ((id is null) == (orphan is null))
            {
                throw new UsageException("cancel: give either --deployment ID (a deployment before its cutover) or --slot NAME (an orphaned replication slot)");
            }

            var options = DeployOptions.Default with { StateTables = stateTables.Read(parseResult) };
            return await RuntimeErrors.RunAsync(url, Console.Error, async () =>
            {
                await using var session = await DatabaseSessions.OpenAsync(url, DatabaseSessions.DefaultCommandTimeout, cancellationToken);
                if (orphan is not null)
                {
                    var dropped = await StreamLeftovers.DropOrphanAsync(session, options.StateTables, orphan, cancellationToken);
                    Console.Out.WriteLine($"replication slot {dropped.Name} and its publication dropped in {session.DatabaseName}: the server no longer retains its WAL ({dropped.RetainedBytes / (1L << 20)} MB).");
                    return ExitCodes.Success;
                }

                var outcome = await DeploymentGate.CancelAsync(session, options, id!, Actor(parseResult, by), TimeSpan.FromSeconds(Math.Max(1, parseResult.GetValue(wait))), cancellationToken);
                Console.Out.WriteLine($"deployment {id} cancelled in {session.DatabaseName}{(outcome.StoppedRunningProcess ? " (the running deploy stopped)" : string.Empty)}: "
                                      + $"removed {(outcome.Removed.Count == 0 ? "nothing (no shadow was left)" : string.Join(", ", outcome.Removed))}; the original tables are untouched. The next deploy starts from the live schema.");
                return ExitCodes.Success;
            });
        });
        return command;
    }

    private static (Command Command, ConnectionOption Connection, Option<string> Deployment, Option<string?> By, StateTableOptions StateTables) Create(string name, string description)
    {
        var connection = new ConnectionOption();
        var deployment = new Option<string>("--deployment") { Description = "The deployment id (see 'dotnet schema status').", Required = true };
        var by = new Option<string?>("--by") { Description = "Who acts, recorded in the control table (default: user@host), e.g. the pipeline's approver." };
        var stateTables = new StateTableOptions();
        var command = new Command(name, description);
        command.Options.Add(connection.Connection);
        command.Options.Add(deployment);
        command.Options.Add(by);
        stateTables.AddTo(command);
        return (command, connection, deployment, by, stateTables);
    }

    private static string Actor(ParseResult parseResult, Option<string?> by) =>
        parseResult.GetValue(by) is { Length: > 0 } who ? who : $"{Environment.UserName}@{Environment.MachineName}";
}
