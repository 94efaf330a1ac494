using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Serialization;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Loading;

/// <summary>
/// Loads the baseline — what production has now — from a snapshot file, a folder of schema
/// files, or <c>git:&lt;ref&gt;</c> (the schema files at that ref). No baseline means an initial
/// plan. Every failure is an SB0006 diagnostic that says what to fix, never an exception.
/// </summary>
public static class BaselineLoader
{
    /// <param name="spec">Snapshot path, folder, <c>git:ref</c>, or null/empty for none.</param>
    /// <param name="schemaDirectory">The desired schema folder; <c>git:</c> reads the same folder at the ref.</param>
    public static ParseResult Load(ISqlDialect dialect, string? spec, string schemaDirectory)
    {
        if (string.IsNullOrWhiteSpace(spec))
        {
            return new ParseResult(new Schema(dialect.Kind), EquatableList<Diagnostic>.Empty);
        }

        try
        {
            if (spec!.StartsWith("git:", StringComparison.Ordinal))
            {
                return FromGit(dialect, spec.Substring(4), schemaDirectory);
            }

            if (Directory.Exists(spec))
            {
                return SchemaLoader.Load(dialect, SchemaFiles.FromDirectory(spec));
            }

            if (!File.Exists(spec))
            {
                return Failed(dialect, $"baseline '{spec}' does not exist; write one with 'dotnet schema baseline', point SchemaBaseline at a folder of schema files or at git:<ref>, or remove the setting for an initial plan");
            }

            var schema = BaselineSnapshot.Read(File.ReadAllText(spec));
            if (schema.Dialect != dialect.Kind && !(IsMySqlFamily(schema.Dialect) && IsMySqlFamily(dialect.Kind)))
            {
                return Failed(dialect, $"baseline '{spec}' is a {DialectNames.Of(schema.Dialect)} schema but the project's dialect is {DialectNames.Of(dialect.Kind)}");
            }

            return new ParseResult(schema with { Dialect = dialect.Kind }, EquatableList<Diagnostic>.Empty);
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
        {
            return Failed(dialect, $"baseline '{spec}' could not be read: {ex.Message}");
        }
    }

    private static bool IsMySqlFamily(DialectKind kind) => kind != DialectKind.Postgres;

    private static ParseResult FromGit(ISqlDialect dialect, string reference, string schemaDirectory)
    {
        if (reference.Length == 0)
        {
            return Failed(dialect, "git: needs a ref, e.g. git:origin/main or git:v1.4.0");
        }

        var folder = Path.GetFullPath(schemaDirectory);
        var top = Git(folder, "rev-parse", "--show-toplevel");
        if (top.ExitCode != 0)
        {
            return Failed(dialect, $"baseline git:{reference}: {folder} is not inside a git repository ({top.Error.Trim()})");
        }

        var root = top.Output.Trim();
        var relative = folder.Length > root.Length ? folder.Substring(root.Length).TrimStart('/', '\\').Replace('\\', '/') : string.Empty;
        var listing = Git(root, "ls-tree", "-r", "--name-only", reference, "--", relative.Length == 0 ? "." : relative);
        if (listing.ExitCode != 0)
        {
            return Failed(dialect, $"baseline git:{reference}: git cannot read that ref ({listing.Error.Trim()}); fetch it first, e.g. git fetch origin");
        }

        var files = new List<SourceFile>();
        foreach (var path in listing.Output.Split('\n').Select(p => p.Trim()).Where(p => p.EndsWith(".sql", StringComparison.OrdinalIgnoreCase)).OrderBy(p => p, StringComparer.Ordinal))
        {
            var show = Git(root, "show", reference + ":" + path);
            if (show.ExitCode != 0)
            {
                return Failed(dialect, $"baseline git:{reference}: cannot read {path} ({show.Error.Trim()})");
            }

            files.Add(new SourceFile(reference + ":" + path, show.Output));
        }

        return SchemaLoader.Load(dialect, files);
    }

    private static (int ExitCode, string Output, string Error) Git(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Arguments = string.Join(" ", arguments.Select(Quote));
        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output, error.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (127, string.Empty, "git is not installed or not on PATH");
        }
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_./:~^@".IndexOf(c) >= 0)
            ? argument
            : "\"" + argument.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private static ParseResult Failed(ISqlDialect dialect, string message) =>
        new(new Schema(dialect.Kind), EquatableList<Diagnostic>.Of(Diagnostic.Create(DiagnosticCatalog.BadBaseline, message)));
}
