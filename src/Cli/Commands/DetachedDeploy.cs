using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Serialization.Json;
using SchemaBuild.Runtime.Connections;
using SchemaBuild.Runtime.Engines;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Sessions;
using SchemaBuild.Runtime.State;

namespace SchemaBuild.Cli.Commands;

/// <summary>
/// <c>deploy --detach</c>: the same deploy runs as a background process in its own session (it
/// survives the terminal and the caller), writing its output to a log file; this process returns
/// once the deployment is ready (held at the gate, or further) or done. The connection reaches the
/// child through its environment (<c>SCHEMABUILD_CONNECTION</c>), never its command line.
/// </summary>
internal static class DetachedDeploy
{
    /// <summary>Set in the background process: the file its standard output and error go to.</summary>
    public const string LogVariable = "SCHEMABUILD_DEPLOY_LOG";

    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    /// <summary>In the background process (the variable is set): standard output and error go to the log file, appended.</summary>
    public static void RedirectOutputWhenDetached()
    {
        if (Environment.GetEnvironmentVariable(LogVariable) is not { Length: > 0 } path)
        {
            return;
        }

        var log = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var shared = TextWriter.Synchronized(log);
        Console.SetOut(shared);
        Console.SetError(shared);
    }

    /// <summary>Starts the background deploy and waits until it is ready or done (exit 0) or it stops first (its exit code).</summary>
    public static async Task<int> RunAsync(ConnectionUrl url, string connection, string? logPath, StateTableNames names, bool json, CancellationToken cancellationToken)
    {
        var log = Path.GetFullPath(logPath ?? $"schemabuild-deploy-{DateTime.UtcNow:yyyyMMdd-HHmmss}.log");
        try
        {
            // Created (or appended to) here: an unwritable place is the caller's error, reported before anything starts.
            await File.AppendAllTextAsync(log, $"[{DateTime.UtcNow:HH:mm:ss}] deploy --detach started by {Environment.UserName}@{Environment.MachineName} pid {Environment.ProcessId}\n", cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--log: cannot write '{log}': {ex.Message}. Pass --log FILE in a writable folder");
        }

        // Connected first: a wrong URL or password is reported here, before a background process starts.
        await using var session = await DatabaseSessions.OpenAsync(url, TimeSpan.FromMinutes(1), cancellationToken);
        var start = StartInfo(ChildArguments(Environment.GetCommandLineArgs().Skip(1).ToList()));
        start.Environment[ConnectionOption.EnvironmentVariable] = connection;
        start.Environment[LogVariable] = log;
        using var child = Process.Start(start) ?? throw new InvalidOperationException("the background deploy did not start");
        // Its standard streams are pipes nobody reads: it writes to the log, and none of it may hold the caller's pipes open.
        child.StandardInput.Close();
        Console.Error.WriteLine($"deploy runs in the background as pid {child.Id}; its log: {log}");

        var deployments = new DeploymentStateStore(session, names);
        var copies = new GhostCopyStore(session, names);
        string? id = null;
        string? last = null;
        while (true)
        {
            if (child.HasExited)
            {
                var tail = Tail(log, 20);
                Console.Error.WriteLine($"the background deploy (pid {child.Id}) exited with {child.ExitCode}; the end of its log ({log}):");
                Console.Error.WriteLine(string.Join("\n", tail));
                id ??= DeploymentIdIn(tail);
                Console.Out.Write(Result(json, child.ExitCode == ExitCodes.Success ? "done" : "stopped", id, child.ExitCode == ExitCodes.Success ? "done" : null, child.Id, log, child.ExitCode));
                return child.ExitCode;
            }

            id ??= DeploymentIdIn(Tail(log, 200));
            if (id is not null && await deployments.ExistsAsync(cancellationToken) && await deployments.GetAsync(id, cancellationToken) is { } record)
            {
                var state = StatusWait.GateState(record, await copies.ExistsAsync(cancellationToken) ? await copies.ListAsync(id, cancellationToken) : Array.Empty<GhostCopyRecord>());
                if (state != last)
                {
                    Console.Error.WriteLine($"deployment {id}: {state}");
                    last = state;
                }

                if (StatusWait.Reached(state, "ready"))
                {
                    Console.Out.Write(Result(json, "detached", id, state, child.Id, log, ExitCodes.Success));
                    return ExitCodes.Success;
                }
            }

            await Task.Delay(Poll, cancellationToken);
        }
    }

    /// <summary>The command line of the background process: this one without <c>--detach</c>, <c>--log</c> and <c>--connection</c> (the connection goes through the environment).</summary>
    internal static IReadOnlyList<string> ChildArguments(IReadOnlyList<string> arguments)
    {
        var kept = new List<string>();
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            var name = argument.Split('=', ':')[0];
            if (name is "--detach")
            {
                continue;
            }

            if (name is "--connection" or "--log")
            {
                // "--connection URL": the value is the next argument; "--connection=URL" carries it.
                i += argument.Length == name.Length ? 1 : 0;
                continue;
            }

            kept.Add(argument);
        }

        return kept;
    }

    /// <summary>This tool again: the apphost, or <c>dotnet dotnet-schema.dll</c>; in a new session (<c>setsid</c>, where there is one) so a hang-up or the caller's process group does not stop it.</summary>
    private static ProcessStartInfo StartInfo(IReadOnlyList<string> arguments)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this process is unknown: start the deploy in the background yourself (see docs/deploy.md)");
        var command = new List<string> { host };
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            command.Add(Environment.GetCommandLineArgs()[0]);
        }

        command.AddRange(arguments);
        const string setsid = "/usr/bin/setsid";
        if (!OperatingSystem.IsWindows() && File.Exists(setsid))
        {
            command.Insert(0, setsid);
        }

        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static string? DeploymentIdIn(IEnumerable<string> lines) =>
        lines.Select(l => Regex.Match(l, @"^\[\d\d:\d\d:\d\d\] deployment (\S+): ")).LastOrDefault(m => m.Success)?.Groups[1].Value;

    private static IReadOnlyList<string> Tail(string path, int lines)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var all = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return all.Skip(Math.Max(0, all.Length - lines)).ToList();
    }

    private static string Result(bool json, string outcome, string? id, string? state, int pid, string log, int exitCode)
    {
        if (json)
        {
            return new JsonWriter().StartObject().Name("outcome").String(outcome).Name("deploymentId").String(id).Name("gateState").String(state)
                .Name("pid").Number(pid).Name("log").String(log).Name("exitCode").Number(exitCode).EndObject() + "\n";
        }

        return outcome == "detached"
            ? $"deployment {id} is {state}; the background deploy (pid {pid}) keeps its change streams and acts on 'dotnet schema cutover|cancel --deployment {id}'. Log: {log}\n"
            : $"deployment {id ?? "(not started)"}: the background deploy ended with exit code {exitCode}. Log: {log}\n";
    }
}
