using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Loading;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Rules;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Planning;

/// <summary>
/// The whole compile, as the build, the IDE and the CLI run it: load the desired schema and the
/// baseline, plan, and gather every diagnostic with acknowledgements and severities applied.
/// </summary>
public static class PlanCompiler
{
    public static PlanCompilation Compile(PlanRequest request) =>
        Compile(request, BaselineLoader.Load(SqlDialects.For(request.Dialect, request.ServerVersion), request.Baseline, request.SchemaDirectory));

    /// <summary>
    /// Compiles against a baseline already loaded by the caller (the analyzer reads it from
    /// AdditionalFiles, since it may not touch the file system); <see cref="PlanRequest.Baseline"/> is ignored.
    /// </summary>
    public static PlanCompilation Compile(PlanRequest request, ParseResult baseline) =>
        Compile(request, SchemaLoader.Load(SqlDialects.For(request.Dialect, request.ServerVersion), request.Files), baseline);

    /// <summary>
    /// Compiles from a desired schema and a baseline both loaded by the caller, e.g. on two threads
    /// (the build does, to halve a large schema's load time); <see cref="PlanRequest.Files"/> and
    /// <see cref="PlanRequest.Baseline"/> are ignored.
    /// </summary>
    public static PlanCompilation Compile(PlanRequest request, ParseResult desired, ParseResult baseline)
    {
        var engine = EngineProfile.For(request.Dialect, request.ServerVersion);
        var inputDiagnostics = RuleEngine.Finish(desired.Diagnostics.Concat(baseline.Diagnostics), desired.Schema.Allowances, request.Severities);

        // A schema that does not parse, or a baseline that cannot be read, would plan as drops: report and stop.
        var blocking = inputDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error && !d.Acknowledged && d.Id is "SB0001" or "SB0006");
        if (blocking)
        {
            return new PlanCompilation(desired.Schema, null, SchemaLoader.Order(inputDiagnostics).ToList());
        }

        var plan = Planner.Create(baseline.Schema, desired.Schema, engine, request.Severities);
        var all = SchemaLoader.Order(inputDiagnostics.Concat(plan.Diagnostics.Select(d => InProjectFile(d, request.ProjectFile)))).ToList();
        return new PlanCompilation(desired.Schema, plan with { Diagnostics = all.ToEquatableList() }, all);
    }

    /// <summary>
    /// A finding on an object no file shows (a table dropped from a live database that left no record of its file) points at
    /// the project file, as the build reports it, so SARIF and GitHub annotations have a place to show it.
    /// </summary>
    private static Diagnostic InProjectFile(Diagnostic diagnostic, string? projectFile) =>
        projectFile is null || !diagnostic.Span.IsNone || diagnostic.Object is null ? diagnostic : diagnostic with { Span = new SourceSpan(projectFile, 1, 1, 0, 0) };
}

/// <summary>What to compile.</summary>
public sealed record PlanRequest(DialectKind Dialect, IReadOnlyList<SourceFile> Files, string SchemaDirectory)
{
    public string? ServerVersion { get; init; }

    /// <summary>Snapshot file, folder, <c>git:ref</c>, or null for an initial plan.</summary>
    public string? Baseline { get; init; }

    public SeverityOverrides Severities { get; init; } = SeverityOverrides.None;

    /// <summary>The project file as diagnostics name it, where findings without a file of their own point; null without a project.</summary>
    public string? ProjectFile { get; init; }
}

/// <summary>The desired model, the plan (null when the input does not parse), and all diagnostics in reading order.</summary>
public sealed record PlanCompilation(Schema Desired, Plan? Plan, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error && !d.Acknowledged);
}
