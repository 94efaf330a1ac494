using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using CoreDiagnostic = SchemaBuild.Core.Diagnostics.Diagnostic;
using CoreSeverity = SchemaBuild.Core.Diagnostics.DiagnosticSeverity;

namespace SchemaBuild.Analyzers;

/// <summary>
/// Reports the build's SB diagnostics on the schema files in the IDE: one compile of all schema
/// AdditionalFiles per compilation, each file's diagnostics reported from its AdditionalFile action.
/// Severities are the ones the build resolved from .editorconfig, since Roslyn does not apply
/// .editorconfig to AdditionalFiles. Quiet unless <c>SchemaBuildAnalyzerDiagnostics</c> is true, so
/// a command-line build does not print every diagnostic twice (the MSBuild task reports them).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SchemaDiagnosticAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => SchemaDiagnosticDescriptors.All;

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var options = start.Options.AnalyzerConfigOptionsProvider;
            var settings = SchemaProjectSettings.From(options.GlobalOptions);
            if (!settings.ReportDiagnostics || settings.Dialect is not { } dialect)
            {
                return;
            }

            var inputs = new List<(AdditionalText File, SchemaFileRole Role)>();
            foreach (var file in start.Options.AdditionalFiles)
            {
                var role = SchemaFileRoles.Of(file, options);
                if (role != SchemaFileRole.None)
                {
                    inputs.Add((file, role));
                }
            }

            if (!inputs.Any(i => i.Role == SchemaFileRole.Schema))
            {
                return;
            }

            var firstSchemaFile = inputs.Where(i => i.Role == SchemaFileRole.Schema).Select(i => i.File.Path).OrderBy(p => p, StringComparer.Ordinal).First();
            var compilation = new Lazy<PlanCompilation>(() => SchemaAnalysis.Compile(Read(inputs, start.CancellationToken), settings, dialect), LazyThreadSafetyMode.ExecutionAndPublication);
            start.RegisterAdditionalFileAction(fileContext =>
            {
                var path = fileContext.AdditionalFile.Path;
                var text = fileContext.AdditionalFile.GetText(fileContext.CancellationToken);
                foreach (var diagnostic in compilation.Value.Diagnostics)
                {
                    // Diagnostics without a place (a dropped table, an unreadable baseline) go with the first schema file.
                    var here = diagnostic.Span.IsNone ? path == firstSchemaFile : diagnostic.Span.File == path;
                    if (here && !diagnostic.Acknowledged && diagnostic.Severity != CoreSeverity.Hidden)
                    {
                        fileContext.ReportDiagnostic(ToRoslyn(diagnostic, text, settings.HelpLinkBase));
                    }
                }
            });
        });
    }

    private static IReadOnlyList<SchemaInput> Read(IEnumerable<(AdditionalText File, SchemaFileRole Role)> inputs, CancellationToken cancellation) =>
        inputs.Select(i => new SchemaInput(i.File.Path, i.File.GetText(cancellation)?.ToString() ?? string.Empty, i.Role)).ToList();

    private static Diagnostic ToRoslyn(CoreDiagnostic diagnostic, SourceText? text, string? helpLinkBase)
    {
        var message = diagnostic.Message;
        return Diagnostic.Create(
            SchemaDiagnosticDescriptors.For(diagnostic.Id, helpLinkBase),
            diagnostic.Span.IsNone ? Location.None : LocationOf(diagnostic.Span, text),
            SchemaDiagnosticDescriptors.ToRoslyn(diagnostic.Severity),
            additionalLocations: null,
            properties: null,
            message);
    }

    private static Location LocationOf(SourceSpan span, SourceText? text)
    {
        var start = new LinePosition(span.Line - 1, Math.Max(0, span.Column - 1));
        var length = Math.Max(0, span.Length);
        var textSpan = text is not null && span.Start + length <= text.Length ? new TextSpan(span.Start, length) : new TextSpan(0, 0);
        var end = text is not null && span.Start + length <= text.Length ? text.Lines.GetLinePosition(span.Start + length) : start;
        return Location.Create(span.File, textSpan, new LinePositionSpan(start, end));
    }
}
