using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Tasks;

namespace SchemaBuild.Tests.Shared;

/// <summary>
/// Runs a command-line program (the mariadb and psql clients, pg_dump, the dotnet-schema tool) and
/// captures its output. Shared by the test projects as a linked source file.
/// </summary>
public static class CommandLine
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    /// <param name="environment">Variables to set; a null value removes the variable.</param>
    public static Result Run(string program, IEnumerable<string> arguments, string? standardInput = null,
        IDictionary<string, string?>? environment = null, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var pair in environment ?? new Dictionary<string, string?>())
        {
            if (pair.Value is null)
            {
                start.Environment.Remove(pair.Key);
            }
            else
            {
                start.Environment[pair.Key] = pair.Value;
            }
        }

        var limit = timeout ?? TimeSpan.FromMinutes(2);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit((int)limit.TotalMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish in {limit.TotalSeconds:F0} s");
        }

        Task.WaitAll(stdout, stderr);
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs and throws with the program's error output when it exits non-zero.</summary>
    public static string RunChecked(string program, IEnumerable<string> arguments, string? standardInput = null,
        IDictionary<string, string?>? environment = null)
    {
        var result = Run(program, arguments, standardInput, environment);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} exited {result.ExitCode}:\n{result.StandardError}\n{result.StandardOutput}");
        }

        return result.StandardOutput;
    }

    /// <summary>Runs the dotnet-schema tool copied next to the test binaries.</summary>
    public static Result RunSchemaTool(IEnumerable<string> arguments, string workingDirectory, IDictionary<string, string?>? environment, TimeSpan timeout)
    {
        var all = new List<string> { System.IO.Path.Combine(AppContext.BaseDirectory, "dotnet-schema.dll") };
        all.AddRange(arguments);
        return Run("dotnet", all, null, environment, timeout, workingDirectory);
    }
}
