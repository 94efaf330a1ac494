using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Loading;
using SchemaBuild.Core.Rules;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Planning;

/// <summary>
/// A schema project's settings as MSBuild evaluates them (<c>SchemaDialect</c>, <c>SchemaServerVersion</c>,
/// <c>SchemaBaseline</c>, <c>SchemaSeverity</c>, the <c>SchemaFile</c> items). The build task and
/// <c>dotnet schema --project</c> both turn them into a <see cref="PlanRequest"/> here, so the two
/// cannot disagree about what the project means.
/// </summary>
public sealed record SchemaProject(string ProjectFile, string ProjectDirectory, IReadOnlyList<string> SchemaFiles)
{
    public string? Dialect { get; init; }

    public string? ServerVersion { get; init; }

    /// <summary>Snapshot file, folder or <c>git:ref</c>; relative paths are relative to the project folder.</summary>
    public string? Baseline { get; init; }

    /// <summary><c>SB1002=warning;SB6001=none</c>, applied over the .editorconfig files.</summary>
    public string? Severity { get; init; }

    /// <summary>The deepest folder holding every schema file: .editorconfig files are looked up from here.</summary>
    public string SchemaDirectory => SchemaSeverities.SchemaDirectory(SchemaFiles, ProjectDirectory);

    /// <summary>
    /// Checks the settings and builds the request, reading the files with paths relative to the
    /// project folder (<c>Schema/users.sql</c>). A setting that cannot be used is a
    /// <see cref="SchemaProjectException"/> with its SB0008/SB0009 code.
    /// </summary>
    public PlanRequest ToRequest()
    {
        if (!DialectNames.TryParse(Dialect, out var dialect))
        {
            throw new SchemaProjectException(BuildErrorCodes.BadDialect, string.IsNullOrWhiteSpace(Dialect)
                ? "SchemaDialect is not set; the project has schema files, so add <SchemaDialect>mysql</SchemaDialect>, mariadb or postgres to a PropertyGroup of the project file"
                : $"SchemaDialect '{Dialect}' is not a dialect; set it to mysql, mariadb or postgres");
        }

        if (!string.IsNullOrWhiteSpace(ServerVersion) && !EngineProfile.TryParseVersion(ServerVersion!, out _))
        {
            throw new SchemaProjectException(BuildErrorCodes.BadSetting,
                $"SchemaServerVersion '{ServerVersion}' is not a version; write it like 10.11, 8.0.36 or 15, or remove it for the dialect's default ({EngineProfile.DefaultVersion(dialect)})");
        }

        var schemaDirectory = SchemaDirectory;
        SeverityOverrides severities;
        try
        {
            severities = SchemaSeverities.Resolve(schemaDirectory, Severity);
        }
        catch (FormatException ex)
        {
            throw new SchemaProjectException(BuildErrorCodes.BadSetting, "SchemaSeverity: " + ex.Message);
        }

        var files = SchemaFiles
            .Distinct(StringComparer.Ordinal)
            .Select(path => new { path, shown = DisplayPath(path) })
            .OrderBy(file => file.shown, StringComparer.Ordinal)
            .Select(file => new SourceFile(file.shown, Loading.SchemaFiles.Read(file.path, file.shown)))
            .ToList();
        return new PlanRequest(dialect, files, schemaDirectory)
        {
            ServerVersion = string.IsNullOrWhiteSpace(ServerVersion) ? null : ServerVersion!.Trim(),
            Baseline = ResolveBaseline(),
            Severities = severities,
        };
    }

    /// <summary>Relative paths resolve against the project folder, whatever the working folder.</summary>
    private string? ResolveBaseline()
    {
        if (string.IsNullOrWhiteSpace(Baseline))
        {
            return null;
        }

        var spec = Baseline!.Trim();
        return spec.StartsWith("git:", StringComparison.Ordinal) || Path.IsPathRooted(spec) ? spec : Path.Combine(ProjectDirectory, spec);
    }

    private string DisplayPath(string fullPath)
    {
        var separator = Path.DirectorySeparatorChar.ToString();
        var root = ProjectDirectory.EndsWith(separator, StringComparison.Ordinal) ? ProjectDirectory : ProjectDirectory + separator;
        var relative = fullPath.StartsWith(root, StringComparison.Ordinal) ? fullPath.Substring(root.Length) : fullPath;
        return relative.Replace(Path.DirectorySeparatorChar, '/');
    }
}

/// <summary>A project setting that cannot be used; <see cref="Code"/> is SB0008 (dialect) or SB0009 (other settings).</summary>
public sealed class SchemaProjectException : Exception
{
    public SchemaProjectException(string code, string message)
        : base(message) => Code = code;

    public string Code { get; }
}
