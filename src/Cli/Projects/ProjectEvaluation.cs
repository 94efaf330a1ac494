using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.Build.Evaluation;
using Microsoft.Build.Exceptions;
using Microsoft.Build.Locator;
using SchemaBuild.Core.Planning;

namespace SchemaBuild.Cli.Projects;

/// <summary>
/// Reads a schema project's settings the way <c>dotnet build</c> sees them: the project is evaluated by
/// the SDK's own MSBuild (found by Microsoft.Build.Locator), with its imports, Directory.Build.props
/// and the SchemaBuild package's props and targets, so defaults such as <c>schema.baseline.json</c>
/// and <c>Schema/**/*.sql</c> come from the same place as in the build.
/// </summary>
public static class ProjectEvaluation
{
    private static readonly object Gate = new();

    /// <summary>The project file named by <c>--project</c> (a file or a folder), or the one in the current folder.</summary>
    public static string FindProjectFile(string? given, string currentDirectory)
    {
        var path = Path.GetFullPath(given ?? currentDirectory, currentDirectory);
        if (File.Exists(path))
        {
            return path;
        }

        if (!Directory.Exists(path))
        {
            throw new UsageException($"--project: '{path}' does not exist; pass a project file or the folder that holds one");
        }

        var candidates = Directory.GetFiles(path, "*.*proj").Where(f => f.EndsWith("proj", StringComparison.OrdinalIgnoreCase)).OrderBy(f => f, StringComparer.Ordinal).ToList();
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw new UsageException(given is null
                ? $"no project file in {path}; run in a schema project's folder, pass --project App.csproj, or name the files with --schema DIR --dialect D"
                : $"--project: no project file in {path}; pass the project file itself"),
            _ => throw new UsageException($"{path} holds {candidates.Count} project files ({string.Join(", ", candidates.Select(Path.GetFileName))}); choose one with --project"),
        };
    }

    /// <summary>Evaluates <paramref name="projectFile"/> (global property <c>Configuration</c> when given) and reads its schema settings.</summary>
    public static EvaluatedProject Read(string projectFile, string? configuration)
    {
        lock (Gate)
        {
            // MSBuild's assemblies must come from the SDK, so the locator registers before any MSBuild type is loaded:
            // every use of one sits in Evaluate, which the JIT compiles only when it is first called.
            if (!MSBuildLocator.IsRegistered)
            {
                MSBuildLocator.RegisterDefaults();
            }
        }

        return Evaluate(projectFile, configuration);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static EvaluatedProject Evaluate(string projectFile, string? configuration)
    {
        var globals = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!string.IsNullOrWhiteSpace(configuration))
        {
            globals["Configuration"] = configuration!;
        }

        using var collection = new ProjectCollection(globals);
        Project project;
        try
        {
            project = collection.LoadProject(projectFile);
        }
        catch (InvalidProjectFileException ex)
        {
            throw new UsageException($"{projectFile}: MSBuild cannot evaluate the project: {ex.BaseMessage} (fix the project file, or name the files with --schema DIR --dialect D)");
        }

        string? Property(string name) => project.GetProperty(name)?.EvaluatedValue is { Length: > 0 } value ? value : null;
        if (Property("SchemaBuildTasksAssembly") is null)
        {
            throw new UsageException(
                $"{projectFile} does not use SchemaBuild: no SchemaBuild props were imported. Add <PackageReference Include=\"SchemaBuild\" /> and run 'dotnet restore' "
                + "(a project that has the reference but was never restored looks the same)");
        }

        var directory = project.DirectoryPath;
        var files = project.GetItems("SchemaFile").Select(item => Path.GetFullPath(item.EvaluatedInclude, directory)).ToList();
        return new EvaluatedProject(
            new SchemaProject(projectFile, directory, files)
            {
                Dialect = Property("SchemaDialect"),
                ServerVersion = Property("SchemaServerVersion"),
                Baseline = Property("SchemaBaseline"),
                Severity = Property("SchemaSeverity"),
            },
            Property("SchemaHelpLinkBase"),
            Property("SchemaPlanOutputPath") is { } output ? Path.GetFullPath(output, directory) : null);
    }
}

/// <summary>What the CLI takes from a project: the plan input, where help links point, and the build's plan folder.</summary>
public sealed record EvaluatedProject(SchemaProject Project, string? HelpLinkBase, string? PlanOutputPath);
