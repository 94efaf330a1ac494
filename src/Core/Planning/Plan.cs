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

    /// <summary>
    /// The severity overrides the plan was compiled with (<c>SB1002=warning;SB6001=none</c>, empty for none): deploy
    /// recomputes the diagnostics with them and refuses a plan whose diagnostics were edited.
    /// </summary>
    public string Severities { get; init; } = string.Empty;

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
