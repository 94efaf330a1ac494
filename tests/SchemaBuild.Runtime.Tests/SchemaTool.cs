using System;
using System.Collections.Generic;
using System.IO;

using SchemaBuild.Tests.Shared;

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
        // The caller's SCHEMABUILD_CONNECTION must not leak into a test that means to leave it unset.
        var variables = new Dictionary<string, string?> { ["SCHEMABUILD_CONNECTION"] = null };
        foreach (var pair in environment ?? new Dictionary<string, string>())
        {
            variables[pair.Key] = pair.Value;
        }

        var result = CommandLine.RunSchemaTool(arguments, RepositoryRoot, variables, TimeSpan.FromMinutes(3));
        return new Result(result.ExitCode, result.StandardOutput, result.StandardError);
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
