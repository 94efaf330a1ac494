using System.Collections.Generic;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Diff;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Rules;

/// <summary>What a rule looks at: the change set, the engine and a place to report.</summary>
public sealed class RuleContext
{
    private readonly List<Diagnostic> diagnostics = new();

    public RuleContext(ChangeSet changes, EngineProfile engine)
    {
        Changes = changes;
        Engine = engine;
    }

    public ChangeSet Changes { get; }

    public EngineProfile Engine { get; }

    public Schema Baseline => Changes.From;

    public Schema Desired => Changes.To;

    public IReadOnlyList<Diagnostic> Diagnostics => diagnostics;

    public void Report(DiagnosticDescriptor descriptor, string objectName, SourceSpan span, string message) =>
        diagnostics.Add(Diagnostic.Create(descriptor, message, span, objectName));

    /// <summary>A destructive finding on an object the baseline marked deprecated is a planned contraction: a warning.</summary>
    public void ReportDestructive(DiagnosticDescriptor descriptor, string objectName, SourceSpan span, string message, bool plannedContraction)
    {
        var diagnostic = Diagnostic.Create(descriptor, message, span, objectName);
        diagnostics.Add(plannedContraction ? diagnostic with { Severity = DiagnosticSeverity.Warning } : diagnostic);
    }
}
