using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Loading;
using SchemaBuild.Core.Planning;
using SchemaBuild.Core.Rules;
using SchemaBuild.Core.Syntax;
using CoreDiagnostic = SchemaBuild.Core.Diagnostics.Diagnostic;
using CoreSeverity = SchemaBuild.Core.Diagnostics.DiagnosticSeverity;
using Task = Microsoft.Build.Utilities.Task;

namespace SchemaBuild.Tasks;

/// <summary>
/// Compiles the project's schema files against the baseline into <c>plan.json</c>, <c>plan.sql</c>
/// and <c>plan.md</c>, and reports every diagnostic as an MSBuild error, warning or message with
/// its file, line, column, SB id and help link. Unacknowledged errors fail the build.
/// </summary>
public sealed class CompileSchemaPlan : Task
{
    /// <summary>The <c>SchemaFile</c> items.</summary>
    public ITaskItem[] SchemaFiles { get; set; } = Array.Empty<ITaskItem>();

    /// <summary><c>$(SchemaDialect)</c>: mysql, mariadb or postgres.</summary>
    public string? Dialect { get; set; }

    /// <summary><c>$(SchemaServerVersion)</c>; empty means the dialect's default.</summary>
    public string? ServerVersion { get; set; }

    /// <summary><c>$(SchemaBaseline)</c>: snapshot file, folder, <c>git:ref</c>, or empty for an initial plan.</summary>
    public string? Baseline { get; set; }

    /// <summary><c>$(SchemaSeverity)</c>: <c>SB1002=warning;SB6001=none</c>, applied over .editorconfig.</summary>
    public string? Severity { get; set; }

    /// <summary>Diagnostic paths are shown relative to this folder, as <c>Schema/users.sql</c>.</summary>
    [Required]
    public string ProjectDirectory { get; set; } = string.Empty;

    /// <summary>Where plan.json, plan.sql and plan.md go (<c>$(SchemaPlanOutputPath)</c>).</summary>
    [Required]
    public string OutputDirectory { get; set; } = string.Empty;

    /// <summary><c>$(SchemaHelpLinkBase)</c>; empty means the rule pages at the package's repository (DiagnosticHelpLinks).</summary>
    public string? HelpLinkBase { get; set; }

    [Output]
    public ITaskItem[] PlanFiles { get; private set; } = Array.Empty<ITaskItem>();

    public override bool Execute()
    {
        var project = new SchemaProject(BuildEngine?.ProjectFileOfTaskNode ?? string.Empty, ProjectDirectory,
            SchemaFiles.Select(f => f.GetMetadata("FullPath")).ToList())
        {
            Dialect = Dialect,
            ServerVersion = ServerVersion,
            Baseline = Baseline,
            Severity = Severity,
        };
        PlanRequest request;
        try
        {
            request = project.ToRequest();
        }
        catch (SchemaProjectException ex)
        {
            Log.LogError(null, ex.Code, null, DiagnosticHelpLinks.For(ex.Code, HelpLinkBase), BuildEngine?.ProjectFileOfTaskNode, 0, 0, 0, 0, ex.Message);
            return false;
        }

        var schemaDirectory = request.SchemaDirectory;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // The baseline loads (parses, or runs git) on another thread while this one parses the desired schema.
        var sql = SqlDialects.For(request.Dialect, request.ServerVersion);
        var baseline = System.Threading.Tasks.Task.Run(() => BaselineLoader.Load(sql, request.Baseline, schemaDirectory));
        var desired = SchemaLoader.Load(sql, request.Files);
        var loaded = baseline.GetAwaiter().GetResult();
        var loadTime = clock.ElapsedMilliseconds;
        var compilation = PlanCompiler.Compile(request, desired, loaded);
        var planTime = clock.ElapsedMilliseconds - loadTime;
        foreach (var diagnostic in compilation.Diagnostics)
        {
            Report(diagnostic);
        }

        var outputs = new[] { "plan.json", "plan.sql", "plan.md" }.Select(name => Path.Combine(OutputDirectory, name)).ToArray();
        if (compilation.HasErrors || compilation.Plan is null)
        {
            // No plan files after a failed compile, so the next build runs the target again instead of finding it up to date.
            foreach (var path in outputs.Where(File.Exists))
            {
                File.Delete(path);
            }

            return false;
        }

        Directory.CreateDirectory(OutputDirectory);
        // Streamed: a large schema's plan.json is hundreds of megabytes, never needed as one string.
        using (var planJson = new StreamWriter(outputs[0], append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
        {
            PlanJson.Write(compilation.Plan, planJson, HelpLinkBase);
        }

        File.WriteAllText(outputs[1], PlanSql.Write(compilation.Plan));
        File.WriteAllText(outputs[2], PlanMarkdown.Write(compilation.Plan, HelpLinkBase));
        PlanFiles = outputs.Select(path => (ITaskItem)new TaskItem(path)).ToArray();
        Log.LogMessage(MessageImportance.Normal,
            $"SchemaBuild: {compilation.Plan.Steps.Count} step(s) planned for {compilation.Desired.Tables.Count} table(s) -> {outputs[0]} " +
            $"(load {loadTime} ms, plan {planTime} ms, write {clock.ElapsedMilliseconds - loadTime - planTime} ms)");
        return !Log.HasLoggedErrors;
    }

    private void Report(CoreDiagnostic diagnostic)
    {
        var file = diagnostic.Span.IsNone ? BuildEngine?.ProjectFileOfTaskNode : diagnostic.Span.File;
        var line = diagnostic.Span.Line;
        var column = diagnostic.Span.Column;
        var message = diagnostic.Message;
        var helpLink = DiagnosticHelpLinks.For(diagnostic.Id, HelpLinkBase);
        if (diagnostic.Severity == CoreSeverity.Hidden)
        {
            return;
        }

        if (diagnostic.Acknowledged)
        {
            Log.LogMessage(null, diagnostic.Id, null, file, line, column, 0, 0, MessageImportance.Normal,
                $"{message} (acknowledged: {diagnostic.Reason ?? "no reason given"})");
            return;
        }

        switch (diagnostic.Severity)
        {
            case CoreSeverity.Error:
                Log.LogError(null, diagnostic.Id, null, helpLink, file, line, column, 0, 0, message);
                break;
            case CoreSeverity.Warning:
                Log.LogWarning(null, diagnostic.Id, null, helpLink, file, line, column, 0, 0, message);
                break;
            case CoreSeverity.Info:
                Log.LogMessage(null, diagnostic.Id, null, file, line, column, 0, 0, MessageImportance.Normal, message);
                break;
        }
    }
}
