using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Tasks;

namespace SchemaBuild.Core.Tests.Infrastructure;

/// <summary>Runs a command-line program (the mariadb and psql clients, pg_dump) and captures its output.</summary>
public static class CommandLine
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static Result Run(string program, IEnumerable<string> arguments, string? standardInput = null,
        IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (var pair in environment)
            {
                start.Environment[pair.Key] = pair.Value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit((int)(timeout ?? TimeSpan.FromMinutes(2)).TotalMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish in time");
        }

        Task.WaitAll(stdout, stderr);
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs and throws with the program's error output when it exits non-zero.</summary>
    public static string RunChecked(string program, IEnumerable<string> arguments, string? standardInput = null,
        IDictionary<string, string>? environment = null)
    {
        var result = Run(program, arguments, standardInput, environment);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} exited {result.ExitCode}:\n{result.StandardError}\n{result.StandardOutput}");
        }

        return result.StandardOutput;
    }
}
