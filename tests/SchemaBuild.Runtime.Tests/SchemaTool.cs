using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace SchemaBuild.Runtime.Tests;

/// <summary>Runs the dotnet-schema tool as a separate process, output redirected (as in CI).</summary>
public static class SchemaTool
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string All => Output + "\n" + Error;

        public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
    }

    public static Result Run(IDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "dotnet-schema.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("SCHEMABUILD_CONNECTION");
        foreach (var pair in environment ?? new Dictionary<string, string>())
        {
            start.Environment[pair.Key] = pair.Value;
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(180_000))
        {
            process.Kill(true);
            throw new TimeoutException("dotnet-schema did not finish in three minutes");
        }

        return new Result(process.ExitCode, output, error.Result);
    }

    public static Result Run(params string[] arguments) => Run(null, arguments);

    /// <summary>The repository root (holds samples/), found above the test binaries.</summary>
    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !Directory.Exists(Path.Combine(directory.FullName, "samples", "Shop")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("cannot find the repository root (samples/Shop) above " + AppContext.BaseDirectory);
        }
    }
}
