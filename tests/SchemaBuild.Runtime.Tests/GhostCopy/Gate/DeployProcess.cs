using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace SchemaBuild.Runtime.Tests.GhostCopy.Gate;

/// <summary>A <c>dotnet schema</c> process running in the background (a deploy held at the gate), its standard error read line by line.</summary>
internal sealed class DeployProcess : IDisposable
{
    private readonly Process process;
    private readonly List<string> lines = new();
    private readonly Task pump;
    private readonly Task<string> stdout;

    private DeployProcess(Process process)
    {
        this.process = process;
        stdout = process.StandardOutput.ReadToEndAsync();
        pump = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                lock (lines)
                {
                    lines.Add(line);
                }
            }
        });
    }

    public static DeployProcess Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "dotnet-schema.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SCHEMABUILD_CONNECTION"] = null;
        return new DeployProcess(Process.Start(start)!);
    }

    public bool HasExited => process.HasExited;

    public string Log
    {
        get
        {
            lock (lines)
            {
                return string.Join("\n", lines);
            }
        }
    }

    /// <summary>Waits for a line of standard error; fails with the whole log when the process ends first or the time runs out.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, string what)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            lock (lines)
            {
                if (lines.FirstOrDefault(match) is { } found)
                {
                    return found;
                }
            }

            if (process.HasExited)
            {
                await pump;
                lock (lines)
                {
                    if (lines.FirstOrDefault(match) is { } found)
                    {
                        return found;
                    }
                }

                Assert.Fail($"the process ended (exit {process.ExitCode}) before {what}:\n{Log}\n{await stdout}");
            }

            await Task.Delay(100);
        }

        Assert.Fail($"no {what} within {timeout.TotalSeconds:0}s:\n{Log}");
        return string.Empty;
    }

    public async Task<(int ExitCode, string Output)> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        await pump;
        return (process.ExitCode, await stdout);
    }

    /// <summary>SIGKILL: the process gets no chance to clean up (its locks and, on PostgreSQL, its slot's connection die with it).</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
    }
}
