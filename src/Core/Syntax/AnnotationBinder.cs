using System.Collections.Generic;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Syntax;

/// <summary>
/// Attaches renamed-from and deprecated annotations to the elements parsers build. An annotation
/// belongs to the element that starts on its line (a trailing comment), or, written on a line of
/// its own, to the next element below it. Parsers ask in source order; whatever nobody takes is
/// dangling (SB0005). Allow annotations are collected separately: they may stand anywhere.
/// </summary>
public sealed class AnnotationBinder
{
    private readonly List<Annotation> pending = new();
    private readonly List<Allowance> allowances = new();

    public AnnotationBinder(IEnumerable<Annotation> annotations)
    {
        foreach (var annotation in annotations)
        {
            if (annotation.Kind == AnnotationKind.Allow)
            {
                allowances.Add(new Allowance(annotation.Argument, annotation.Target!, annotation.Reason!) { Span = annotation.Span });
            }
            else
            {
                pending.Add(annotation);
            }
        }
    }

    public IReadOnlyList<Allowance> Allowances => allowances;

    /// <summary>Takes the annotations of an element that starts on <paramref name="line"/>.</summary>
    public Annotations Take(int line)
    {
        if (pending.Count == 0)
        {
            return Annotations.None;
        }

        var result = Annotations.None;
        for (var i = 0; i < pending.Count; i++)
        {
            var annotation = pending[i];
            var applies = annotation.Span.Line == line || (annotation.OwnLine && annotation.Span.Line < line);
            if (!applies)
            {
                continue;
            }

            result = annotation.Kind == AnnotationKind.RenamedFrom
                ? result.WithRenamedFrom(annotation.Argument)
                : result.WithDeprecated(annotation.Argument);
            pending.RemoveAt(i);
            i--;
        }

        return result;
    }

    /// <summary>SB0005 for every annotation no element took.</summary>
    public void ReportDangling(ICollection<Diagnostic> diagnostics)
    {
        foreach (var annotation in pending)
        {
            var name = annotation.Kind == AnnotationKind.RenamedFrom ? "renamed-from" : "deprecated";
            diagnostics.Add(Diagnostic.Create(
                DiagnosticCatalog.BadAnnotation,
                $"schema:{name} is not attached to a table or column; write it on the line that defines the object, or on the line just above it",
                annotation.Span));
        }

        pending.Clear();
    }
}
