using System;
using System.Diagnostics;

namespace SchemaBuild.Build.Tests;

/// <summary>Runs the dotnet CLI as a separate process, as a user's terminal or CI would.</summary>
public static class DotNet
{
    public sealed record Result(int ExitCode, string Output);

    public static Result Run(string workingDirectory, string packageCache, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["NUGET_PACKAGES"] = packageCache;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        // The test host's own MSBuild settings must not leak into the consumer's build.
        start.Environment.Remove("MSBuildExtensionsPath");
        start.Environment.Remove("MSBUILD_EXE_PATH");
        start.Environment.Remove("MSBuildSDKsPath");

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(300_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(" ", arguments)} did not finish in five minutes in {workingDirectory}");
        }

        return new Result(process.ExitCode, output + error.Result);
    }
}
