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

namespace SchemaBuild.Cli.Commands;

/// <summary>The options that name the schema to compile: <c>--schema DIR --dialect D [--server-version V] [--baseline B]</c>.</summary>
public sealed class SchemaInputOptions
{
    private readonly bool withBaseline;

    public SchemaInputOptions(bool withBaseline) => this.withBaseline = withBaseline;

    public Option<DirectoryInfo> Schema { get; } = new("--schema")
    {
        Description = "Folder of declarative .sql schema files (read recursively).",
        Required = true,
    };

    public Option<string> Dialect { get; } = new("--dialect")
    {
        Description = "SQL dialect of the files: mysql, mariadb or postgres.",
        Required = true,
    };

    public Option<string?> ServerVersion { get; } = new("--server-version")
    {
        Description = "Target server version, e.g. 10.11, 8.0.36 or 15; drives the choice of strategies. Default: 8.0.36 (mysql), 10.11 (mariadb), 15 (postgres).",
    };

    public Option<string?> Baseline { get; } = new("--baseline")
    {
        Description = "What production has now: a snapshot file (schema.baseline.json), a folder of schema files, or git:<ref>. Without it the plan creates everything.",
    };

    public Option<string[]> Severity { get; } = new("--severity")
    {
        Description = "Override a diagnostic's severity, e.g. --severity SB6001=none (error, warning, info, none). Repeatable; .editorconfig files above the schema folder are read too.",
        AllowMultipleArgumentsPerToken = true,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Schema);
        command.Options.Add(Dialect);
        if (withBaseline)
        {
            command.Options.Add(ServerVersion);
            command.Options.Add(Baseline);
            command.Options.Add(Severity);
        }
    }

    public DialectKind ReadDialect(ParseResult parseResult)
    {
        var text = parseResult.GetValue(Dialect)!;
        return DialectNames.TryParse(text, out var kind)
            ? kind
            : throw new UsageException($"--dialect: '{text}' is not a dialect; use mysql, mariadb or postgres");
    }

    public DirectoryInfo ReadFolder(ParseResult parseResult)
    {
        var folder = parseResult.GetValue(Schema)!;
        return folder.Exists
            ? folder
            : throw new UsageException($"--schema: folder '{folder.FullName}' does not exist; pass the folder that holds your .sql schema files");
    }

    /// <summary>Compiles the plan the options describe.</summary>
    public PlanCompilation Compile(ParseResult parseResult)
    {
        var kind = ReadDialect(parseResult);
        var folder = ReadFolder(parseResult);
        var version = parseResult.GetValue(ServerVersion);
        if (version is not null && !EngineProfile.TryParseVersion(version, out _))
        {
            throw new UsageException($"--server-version: '{version}' is not a version; write it like 10.11, 8.0.36 or 15");
        }

        SeverityOverrides severities;
        try
        {
            var fromEditorConfig = EditorConfigSeverities.Load(folder.FullName);
            var fromCommandLine = SeverityOverrides.Parse(string.Join(";", parseResult.GetValue(Severity) ?? Array.Empty<string>()));
            severities = fromEditorConfig.Then(fromCommandLine);
        }
        catch (FormatException ex)
        {
            throw new UsageException("--severity: " + ex.Message);
        }

        var request = new PlanRequest(kind, SchemaFiles.FromDirectory(folder.FullName, Environment.CurrentDirectory), folder.FullName)
        {
            ServerVersion = version,
            Baseline = parseResult.GetValue(Baseline),
            Severities = severities,
        };
        var compilation = PlanCompiler.Compile(request);

        // A git ref that cannot be read is a mistake in the command line, not in the schema.
        if (request.Baseline?.StartsWith("git:", StringComparison.Ordinal) == true
            && compilation.Diagnostics.FirstOrDefault(d => d.Id == DiagnosticCatalog.BadBaseline.Id) is { } badBaseline)
        {
            throw new UsageException("--baseline: " + badBaseline.Message);
        }

        return compilation;
    }
}
