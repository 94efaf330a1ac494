using System;
using SchemaBuild.Tests.Shared;

namespace SchemaBuild.Cli.Tests;

/// <summary>Runs the dotnet-schema tool as a separate process in a working folder.</summary>
internal static class SchemaTool
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Result Run(string workingDirectory, params string[] arguments)
    {
        var result = CommandLine.RunSchemaTool(arguments, workingDirectory, null, TimeSpan.FromMinutes(2));
        return new Result(result.ExitCode, result.StandardOutput, result.StandardError);
    }
}
