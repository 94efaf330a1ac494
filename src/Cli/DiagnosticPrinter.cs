using System.Collections.Generic;
using System.IO;
using System.Linq;
using SchemaBuild.Core.Diagnostics;

namespace SchemaBuild.Cli;

/// <summary>Writes diagnostics in the compiler format every IDE and CI log parser reads.</summary>
public static class DiagnosticPrinter
{
    /// <summary>Prints the visible diagnostics and returns whether any is an unacknowledged error.</summary>
    public static bool Print(IEnumerable<Diagnostic> diagnostics, TextWriter writer)
    {
        var hasErrors = false;
        foreach (var diagnostic in diagnostics.Where(d => d.Severity != DiagnosticSeverity.Hidden))
        {
            writer.WriteLine(diagnostic.ToString());
            hasErrors |= diagnostic.Severity == DiagnosticSeverity.Error && !diagnostic.Acknowledged;
        }

        return hasErrors;
    }
}
