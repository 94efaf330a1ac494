using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Planning;

/// <summary>
/// An ordered, validated deployment plan from the baseline model to the desired model, with its
/// diagnostics and the fingerprints deploy uses to recognise the live database.
/// </summary>
public sealed record Plan(EngineProfile Engine, Schema Source, Schema Target, EquatableList<PlanStep> Steps, EquatableList<Diagnostic> Diagnostics)
{
    public string SourceFingerprint { get; init; } = string.Empty;

    public string TargetFingerprint { get; init; } = string.Empty;

    /// <summary>True when an unacknowledged error makes the plan unsafe to apply.</summary>
    public bool HasErrors
    {
        get
        {
            foreach (var diagnostic in Diagnostics)
            {
                if (diagnostic.Severity == DiagnosticSeverity.Error && !diagnostic.Acknowledged)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
