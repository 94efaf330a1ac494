using System;
using System.Collections.Generic;
using SchemaBuild.Tests.Shared;

namespace SchemaBuild.Build.Tests;

/// <summary>Runs the dotnet CLI as a separate process, as a user's terminal or CI would.</summary>
public static class DotNet
{
    public sealed record Result(int ExitCode, string Output);

    public static Result Run(string workingDirectory, string packageCache, params string[] arguments)
    {
        var result = CommandLine.Run("dotnet", arguments, null, Environment(packageCache), TimeSpan.FromMinutes(5), workingDirectory);
        return new Result(result.ExitCode, result.StandardOutput + result.StandardError);
    }

    /// <summary>
    /// The environment of every dotnet process of the suite (and of eng/pack.sh): the suite's own
    /// package cache, and none of the test host's MSBuild settings.
    /// </summary>
    public static IDictionary<string, string?> Environment(string packageCache) => new Dictionary<string, string?>
    {
        ["NUGET_PACKAGES"] = packageCache,
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["MSBUILDDISABLENODEREUSE"] = "1",
        // The test host's own MSBuild settings must not leak into the consumer's build.
        ["MSBuildExtensionsPath"] = null,
        ["MSBUILD_EXE_PATH"] = null,
        ["MSBuildSDKsPath"] = null,
    };
}
