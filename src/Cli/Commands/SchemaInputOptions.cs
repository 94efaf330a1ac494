using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Dialects;
using ParseResult = System.CommandLine.ParseResult;
using SchemaBuild.Core.Loading;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Core.Rules;
using SchemaBuild.Cli.Projects;

namespace SchemaBuild.Cli.Commands;

/// <summary>
/// The options that name the schema to compile: a project (<c>-p|--project</c>, by default the one in the
/// current folder, evaluated by MSBuild exactly as <c>dotnet build</c> sees it) or <c>--schema DIR --dialect D</c>.
/// <c>--dialect</c>, <c>--server-version</c>, <c>--baseline</c> and <c>--severity</c> given on the command
/// line win over the project's settings (a pull-request check passes <c>--baseline git:origin/main</c>).
/// </summary>
public sealed class SchemaInputOptions
{
    private readonly bool withBaseline;

    public SchemaInputOptions(bool withBaseline) => this.withBaseline = withBaseline;

    public Option<string?> Project { get; } = new("--project", "-p")
    {
        Description = "The schema project (file, or folder holding one); default: the project in the current folder. Its SchemaDialect, SchemaServerVersion, SchemaBaseline, SchemaSeverity and SchemaFile items are used.",
    };

    public Option<string?> Configuration { get; } = new("--configuration", "-c")
    {
        Description = "With a project: the build configuration to evaluate it with (Debug, Release).",
    };

    public Option<DirectoryInfo?> Schema { get; } = new("--schema")
    {
        Description = "Folder of declarative .sql schema files (read recursively), instead of a project; needs --dialect.",
    };

    public Option<string?> Dialect { get; } = new("--dialect")
    {
        Description = "SQL dialect of the files: mysql, mariadb or postgres. Default: the project's SchemaDialect.",
    };

    public Option<string?> ServerVersion { get; } = new("--server-version")
    {
        Description = "Target server version, e.g. 10.11, 8.0.36 or 15; drives the choice of strategies. Default: the project's SchemaServerVersion, else 8.0.36 (mysql), 10.11 (mariadb), 15 (postgres).",
    };

    public Option<string?> Baseline { get; } = new("--baseline")
    {
        Description = "What production has now: a snapshot file (schema.baseline.json), a folder of schema files, or git:<ref>. Default: the project's SchemaBaseline; with --schema and none, the plan creates everything.",
    };

    public Option<string[]> Severity { get; } = new("--severity")
    {
        Description = "Override a diagnostic's severity, e.g. --severity SB6001=none (error, warning, info, none). Repeatable; applied over the project's SchemaSeverity and the .editorconfig files above the schema folder.",
        AllowMultipleArgumentsPerToken = true,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Project);
        command.Options.Add(Configuration);
        command.Options.Add(Schema);
        command.Options.Add(Dialect);
        if (withBaseline)
        {
            command.Options.Add(ServerVersion);
            command.Options.Add(Baseline);
            command.Options.Add(Severity);
        }
    }

    /// <summary>Compiles the plan the options describe.</summary>
    public PlanCompilation Compile(ParseResult parseResult) => Compile(Resolve(parseResult).Request);

    /// <summary>Compiles a request resolved by <see cref="Resolve"/>.</summary>
    public static PlanCompilation Compile(PlanRequest request)
    {
        var compilation = PlanCompiler.Compile(request);

        // A git ref that cannot be read is a mistake in the command line, not in the schema.
        if (request.Baseline?.StartsWith("git:", StringComparison.Ordinal) == true
            && compilation.Diagnostics.FirstOrDefault(d => d.Id == DiagnosticCatalog.BadBaseline.Id) is { } badBaseline)
        {
            throw new UsageException("--baseline: " + badBaseline.Message);
        }

        return compilation;
    }

    /// <summary>
    /// What to compile: from <c>--schema</c> and the command line, or from the project with the command
    /// line's settings over it. <paramref name="defaultDialect"/> stands in for a missing <c>--dialect</c>
    /// next to <c>--schema</c> (the live server's, for diff and deploy).
    /// </summary>
    public SchemaInput Resolve(ParseResult parseResult, DialectKind? defaultDialect = null)
    {
        var folder = parseResult.GetValue(Schema);
        var projectPath = parseResult.GetValue(Project);
        if (folder is not null && projectPath is not null)
        {
            throw new UsageException("--schema and --project name the schema twice; pass one of them");
        }

        var version = withBaseline ? parseResult.GetValue(ServerVersion) : null;
        if (version is not null && !EngineProfile.TryParseVersion(version, out _))
        {
            throw new UsageException($"--server-version: '{version}' is not a version; write it like 10.11, 8.0.36 or 15");
        }

        var commandLineSeverities = withBaseline ? string.Join(";", parseResult.GetValue(Severity) ?? Array.Empty<string>()) : string.Empty;
        try
        {
            SeverityOverrides.Parse(commandLineSeverities);
        }
        catch (FormatException ex)
        {
            throw new UsageException("--severity: " + ex.Message);
        }

        var dialectText = parseResult.GetValue(Dialect);
        if (dialectText is not null && !DialectNames.TryParse(dialectText, out _))
        {
            throw new UsageException($"--dialect: '{dialectText}' is not a dialect; use mysql, mariadb or postgres");
        }

        var baseline = withBaseline ? parseResult.GetValue(Baseline) : null;
        if (folder is not null)
        {
            return FromFolder(folder, dialectText, defaultDialect, version, baseline, commandLineSeverities);
        }

        var settings = ProjectEvaluation.Read(ProjectEvaluation.FindProjectFile(projectPath, Environment.CurrentDirectory), parseResult.GetValue(Configuration));
        var project = settings.Project with
        {
            Dialect = dialectText ?? settings.Project.Dialect,
            ServerVersion = version ?? settings.Project.ServerVersion,
            Baseline = withBaseline ? baseline ?? settings.Project.Baseline : null,
            Severity = string.Join(";", new[] { settings.Project.Severity, commandLineSeverities }.Where(s => !string.IsNullOrEmpty(s))),
        };
        try
        {
            // Schema files are named relative to the project folder, and so is the project file findings without a file point at.
            var request = project.ToRequest() with { ProjectFile = Path.GetFileName(project.ProjectFile) };
            return new SchemaInput(request, settings.HelpLinkBase, Path.GetFileName(project.ProjectFile));
        }
        catch (SchemaProjectException ex)
        {
            throw new UsageException($"{project.ProjectFile}: {ex.Code}: {ex.Message}");
        }
    }

    private static SchemaInput FromFolder(DirectoryInfo folder, string? dialectText, DialectKind? defaultDialect, string? version, string? baseline, string severities)
    {
        if (!folder.Exists)
        {
            throw new UsageException($"--schema: folder '{folder.FullName}' does not exist; pass the folder that holds your .sql schema files");
        }

        DialectKind kind;
        if (dialectText is not null)
        {
            DialectNames.TryParse(dialectText, out kind);
        }
        else
        {
            kind = defaultDialect ?? throw new UsageException("--schema needs --dialect mysql, mariadb or postgres (a project states it as SchemaDialect)");
        }

        var request = new PlanRequest(kind, SchemaFiles.FromDirectory(folder.FullName, Environment.CurrentDirectory), folder.FullName)
        {
            ServerVersion = version,
            Baseline = baseline,
            Severities = EditorConfigSeverities.Load(folder.FullName).Then(SeverityOverrides.Parse(severities)),
        };
        return new SchemaInput(request, null, Path.GetFileName(folder.FullName.TrimEnd(Path.DirectorySeparatorChar)));
    }
}

/// <summary>The resolved input of a command: the plan request, the project's <c>SchemaHelpLinkBase</c> (if any) and the name to show (project file or folder).</summary>
public sealed record SchemaInput(PlanRequest Request, string? HelpLinkBase, string DisplayName);
