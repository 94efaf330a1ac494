using System;
using System.IO;
using System.Linq;
using SchemaBuild.Tests.Shared;

namespace SchemaBuild.Cli.Tests;

/// <summary>
/// A throwaway schema project: an App.csproj that imports the repository's build/SchemaBuild.props and
/// .targets with the freshly built task, as the package does, so <c>dotnet build</c> runs the real
/// SchemaBuild build in it.
/// </summary>
internal sealed class SchemaProjectFolder : IDisposable
{
    public SchemaProjectFolder(string dialect, string extraProperties = "")
    {
        Root = Path.Combine(Path.GetTempPath(), "schemabuild-project-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(Root, "Schema"));
        var repository = RepositoryRoot;
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var tasks = Path.Combine(repository, "src", "Tasks", "bin", configuration, "netstandard2.0", "SchemaBuild.Tasks.dll");
        var dialectProperty = dialect.Length == 0 ? string.Empty : $"<SchemaDialect>{dialect}</SchemaDialect>";
        Write("App.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="{repository}/build/SchemaBuild.props" />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                {dialectProperty}
                <SchemaBuildTasksAssembly>{tasks}</SchemaBuildTasksAssembly>
                {extraProperties}
              </PropertyGroup>
              <Import Project="{repository}/build/SchemaBuild.targets" />
            </Project>
            """);
    }

    public static string RepositoryRoot
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "SchemaBuild.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException($"SchemaBuild.sln not found above {AppContext.BaseDirectory}; run the tests from the repository");
        }
    }

    public string Root { get; }

    public SchemaProjectFolder Write(string relativePath, string text)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return this;
    }

    /// <summary>Runs <c>dotnet build</c> in the folder; returns its exit code and the distinct SBxxxx lines, without MSBuild's project suffix.</summary>
    public (int ExitCode, string[] Diagnostics) Build()
    {
        var result = CommandLine.Run("dotnet", new[] { "build", "-nologo", "-clp:NoSummary", "-p:UseSharedCompilation=false", "-nodeReuse:false" },
            environment: null, timeout: TimeSpan.FromMinutes(3), workingDirectory: Root);
        return (result.ExitCode, DiagnosticLines(result.StandardOutput + result.StandardError));
    }

    /// <summary>The distinct lines that carry an SB id, with MSBuild's " [project]" suffix removed.</summary>
    public static string[] DiagnosticLines(string output) =>
        output.Split('\n')
            .Select(line => line.TrimEnd('\r').Trim())
            .Where(line => System.Text.RegularExpressions.Regex.IsMatch(line, @"(error|warning|info) SB\d{4}:"))
            .Select(line => System.Text.RegularExpressions.Regex.Replace(line, @" \[[^\]]*proj\]$", string.Empty))
            .Distinct()
            .ToArray();

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
