using System;
using System.Collections.Generic;
using SchemaBuild.Core.Diagnostics;

namespace SchemaBuild.Core.Rules;

/// <summary>
/// Per-id severities (<c>dotnet_diagnostic.SBxxxx.severity</c> in .editorconfig): the same values
/// for the analyzer, the MSBuild task and the CLI.
/// </summary>
public sealed class SeverityOverrides
{
    public static readonly SeverityOverrides None = new(new Dictionary<string, DiagnosticSeverity>());

    private readonly IReadOnlyDictionary<string, DiagnosticSeverity> overrides;

    public SeverityOverrides(IReadOnlyDictionary<string, DiagnosticSeverity> overrides) => this.overrides = overrides;

    /// <summary>Reads an .editorconfig severity word: error, warning, suggestion/info, silent/none/hidden.</summary>
    public static bool TryParseSeverity(string text, out DiagnosticSeverity severity)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "error":
                severity = DiagnosticSeverity.Error;
                return true;
            case "warning":
                severity = DiagnosticSeverity.Warning;
                return true;
            case "suggestion":
            case "info":
                severity = DiagnosticSeverity.Info;
                return true;
            case "silent":
            case "none":
            case "hidden":
                severity = DiagnosticSeverity.Hidden;
                return true;
            default:
                severity = default;
                return false;
        }
    }

    /// <summary>Parses <c>SB1002=warning;SB6001=none</c> (the MSBuild and CLI spelling).</summary>
    public static SeverityOverrides Parse(string? text)
    {
        var result = new Dictionary<string, DiagnosticSeverity>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in (text ?? string.Empty).Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=');
            if (parts.Length != 2 || DiagnosticCatalog.Find(parts[0].Trim().ToUpperInvariant()) is null || !TryParseSeverity(parts[1], out var severity))
            {
                throw new FormatException($"'{pair.Trim()}' is not a severity override; write it as SB1002=warning (error, warning, info or none)");
            }

            result[parts[0].Trim().ToUpperInvariant()] = severity;
        }

        return new SeverityOverrides(result);
    }

    /// <summary>These overrides, with <paramref name="nearer"/> winning where both name an id.</summary>
    public SeverityOverrides Then(SeverityOverrides nearer)
    {
        var merged = new Dictionary<string, DiagnosticSeverity>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in overrides)
        {
            merged[pair.Key] = pair.Value;
        }

        foreach (var pair in nearer.overrides)
        {
            merged[pair.Key] = pair.Value;
        }

        return new SeverityOverrides(merged);
    }

    /// <summary>The <see cref="Parse"/> spelling, <c>SB1002=warning;SB6001=none</c>, ordered by id.</summary>
    public override string ToString()
    {
        var pairs = new List<string>();
        foreach (var pair in overrides)
        {
            var word = pair.Value switch
            {
                DiagnosticSeverity.Error => "error",
                DiagnosticSeverity.Warning => "warning",
                DiagnosticSeverity.Info => "info",
                _ => "none",
            };
            pairs.Add(pair.Key.ToUpperInvariant() + "=" + word);
        }

        pairs.Sort(StringComparer.Ordinal);
        return string.Join(";", pairs);
    }

    public Diagnostic Apply(Diagnostic diagnostic) =>
        overrides.TryGetValue(diagnostic.Id, out var severity) ? diagnostic with { Severity = severity } : diagnostic;
}
