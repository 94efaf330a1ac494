using System;
using System.Diagnostics;
using System.IO;

namespace SchemaBuild.Cli.Tests;

/// <summary>Runs the dotnet-schema tool as a separate process in a working folder.</summary>
internal static class SchemaTool
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Result Run(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "dotnet-schema.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(true);
            throw new TimeoutException("dotnet-schema did not finish in two minutes");
        }

        return new Result(process.ExitCode, output, error.Result);
    }
}
