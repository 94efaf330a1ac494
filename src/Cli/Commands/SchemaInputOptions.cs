using System;
using System.CommandLine;
using System.IO;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Loading;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Cli.Commands;

/// <summary>The options that name a set of schema files: <c>--schema DIR --dialect D</c>.</summary>
public sealed class SchemaInputOptions
{
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

    public void AddTo(Command command)
    {
        command.Options.Add(Schema);
        command.Options.Add(Dialect);
    }

    /// <summary>Reads, parses and normalizes the files the options name.</summary>
    public ParseResult Load(System.CommandLine.ParseResult parseResult, out ISqlDialect dialect)
    {
        var kind = ParseDialect(parseResult.GetValue(Dialect)!);
        dialect = SqlDialects.For(kind);
        var folder = parseResult.GetValue(Schema)!;
        if (!folder.Exists)
        {
            throw new UsageException($"--schema: folder '{folder.FullName}' does not exist; pass the folder that holds your .sql schema files");
        }

        return SchemaLoader.Load(dialect, SchemaFiles.FromDirectory(folder.FullName, Environment.CurrentDirectory));
    }

    private static DialectKind ParseDialect(string text) =>
        DialectNames.TryParse(text, out var kind)
            ? kind
            : throw new UsageException($"--dialect: '{text}' is not a dialect; use mysql, mariadb or postgres");
}
