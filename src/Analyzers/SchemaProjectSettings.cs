using Microsoft.CodeAnalysis.Diagnostics;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Rules;

namespace SchemaBuild.Analyzers;

/// <summary>
/// The project's schema settings as the build passes them to the compiler
/// (<c>CompilerVisibleProperty</c> items in SchemaBuild.props).
/// </summary>
public sealed record SchemaProjectSettings(DialectKind? Dialect, string? ServerVersion, string Severities, bool ReportDiagnostics, string Namespace, string ClassName)
{
    /// <summary><c>SchemaHelpLinkBase</c>: where the project points help links; null for the rule pages at the repository.</summary>
    public string? HelpLinkBase { get; init; }

    public static SchemaProjectSettings From(AnalyzerConfigOptions options)
    {
        DialectKind? dialect = DialectNames.TryParse(Read(options, "SchemaDialect"), out var kind) ? kind : null;
        var version = Read(options, "SchemaServerVersion");
        var validVersion = version is not null && EngineProfile.TryParseVersion(version, out _) ? version : null;
        var ns = Read(options, "SchemaAccessorNamespace") ?? Read(options, "RootNamespace") ?? "Schema";
        return new SchemaProjectSettings(
            dialect,
            validVersion,
            Read(options, "SchemaBuildSeverities") ?? string.Empty,
            string.Equals(Read(options, "SchemaBuildAnalyzerDiagnostics"), "true", System.StringComparison.OrdinalIgnoreCase),
            ns,
            Read(options, "SchemaAccessorClassName") ?? "Db")
        {
            HelpLinkBase = Read(options, "SchemaHelpLinkBase"),
        };
    }

    /// <summary>The overrides the build resolved; unreadable text (already reported by the task) means none.</summary>
    public SeverityOverrides ReadSeverities()
    {
        try
        {
            return SeverityOverrides.Parse(Severities);
        }
        catch (System.FormatException)
        {
            return SeverityOverrides.None;
        }
    }

    private static string? Read(AnalyzerConfigOptions options, string property) =>
        options.TryGetValue("build_property." + property, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
