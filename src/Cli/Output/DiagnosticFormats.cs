using System.Collections.Generic;
using System.Linq;
using System.Text;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Serialization.Json;
using SchemaBuild.Core.Diagnostics;

namespace SchemaBuild.Cli.Output;

/// <summary>The lint formats: compiler text, JSON, SARIF 2.1.0 and GitHub workflow annotations.</summary>
public static class DiagnosticFormats
{
    /// <summary>Compiler-format lines, a count, and the rule page of each id that occurs.</summary>
    public static string Text(IEnumerable<Diagnostic> diagnostics, string? helpLinkBase = null)
    {
        var text = new StringBuilder();
        var visible = Visible(diagnostics).ToList();
        foreach (var diagnostic in visible)
        {
            text.Append(diagnostic).Append(diagnostic.Acknowledged ? " (acknowledged: " + diagnostic.Reason + ")" : string.Empty).Append('\n');
        }

        text.Append(visible.Count(d => d.Severity == DiagnosticSeverity.Error && !d.Acknowledged)).Append(" error(s), ")
            .Append(visible.Count(d => d.Severity == DiagnosticSeverity.Warning)).Append(" warning(s)\n");
        text.Append(RulePages(visible, helpLinkBase));
        return text.ToString();
    }

    /// <summary>"rule pages:" and one <c>SB1002 https://…</c> line per id that occurs (none when no id or no link).</summary>
    public static string RulePages(IEnumerable<Diagnostic> diagnostics, string? helpLinkBase)
    {
        var pages = diagnostics.Where(d => d.Severity != DiagnosticSeverity.Hidden).Select(d => d.Id).Distinct().OrderBy(id => id, System.StringComparer.Ordinal)
            .Select(id => (id, link: DiagnosticHelpLinks.For(id, helpLinkBase))).Where(p => p.link.Length > 0).ToList();
        return pages.Count == 0 ? string.Empty : "rule pages:\n" + string.Concat(pages.Select(p => $"  {p.id} {p.link}\n"));
    }

    public static string Json(IEnumerable<Diagnostic> diagnostics, string? helpLinkBase = null)
    {
        var json = new JsonWriter();
        json.StartArray();
        foreach (var diagnostic in Visible(diagnostics))
        {
            PlanJson.WriteDiagnostic(json, diagnostic, helpLinkBase);
        }

        return json.EndArray() + "\n";
    }

    /// <summary>
    /// The JSON document of a command that has no result to print (no plan, a usage error, a failed deploy):
    /// <c>{"plan": null, "error": "...", "exitCode": n, "diagnostics": [...]}</c>, so --format json always gives JSON.
    /// </summary>
    public static string Document(IEnumerable<Diagnostic> diagnostics, string? error, int? exitCode = null)
    {
        var json = new JsonWriter();
        json.StartObject().Name("plan").Null();
        if (error is not null)
        {
            json.Name("error").String(error);
        }

        if (exitCode is not null)
        {
            json.Name("exitCode").Number(exitCode.Value);
        }

        json.Name("diagnostics").StartArray();
        foreach (var diagnostic in Visible(diagnostics))
        {
            PlanJson.WriteDiagnostic(json, diagnostic);
        }

        return json.EndArray().EndObject() + "\n";
    }

    /// <summary>SARIF 2.1.0, which code-scanning services read.</summary>
    public static string Sarif(IEnumerable<Diagnostic> diagnostics, string? helpLinkBase = null)
    {
        var visible = Visible(diagnostics).ToList();
        var json = new JsonWriter();
        json.StartObject()
            .Name("$schema").String("https://json.schemastore.org/sarif-2.1.0.json")
            .Name("version").String("2.1.0")
            .Name("runs").StartArray().StartObject()
            .Name("tool").StartObject().Name("driver").StartObject()
            .Name("name").String("SchemaBuild")
            .Name("rules").StartArray();
        foreach (var descriptor in visible.Select(d => d.Id).Distinct().OrderBy(id => id, System.StringComparer.Ordinal).Select(DiagnosticCatalog.Find).Where(d => d is not null))
        {
            json.StartObject().Name("id").String(descriptor!.Id)
                .Name("shortDescription").StartObject().Name("text").String(descriptor.Title).EndObject();
            if (DiagnosticHelpLinks.For(descriptor.Id, helpLinkBase) is { Length: > 0 } link)
            {
                json.Name("helpUri").String(link);
            }

            json.EndObject();
        }

        json.EndArray().EndObject().EndObject().Name("results").StartArray();
        foreach (var diagnostic in visible)
        {
            json.StartObject()
                .Name("ruleId").String(diagnostic.Id)
                .Name("level").String(diagnostic.Severity switch { DiagnosticSeverity.Error => "error", DiagnosticSeverity.Warning => "warning", _ => "note" })
                .Name("message").StartObject().Name("text").String(diagnostic.Message).EndObject();
            if (!diagnostic.Span.IsNone)
            {
                json.Name("locations").StartArray().StartObject().Name("physicalLocation").StartObject()
                    .Name("artifactLocation").StartObject().Name("uri").String(diagnostic.Span.File).EndObject()
                    .Name("region").StartObject().Name("startLine").Number(diagnostic.Span.Line).Name("startColumn").Number(diagnostic.Span.Column).EndObject()
                    .EndObject().EndObject().EndArray();
            }

            if (diagnostic.Acknowledged)
            {
                json.Name("suppressions").StartArray().StartObject().Name("kind").String("inSource").Name("justification").String(diagnostic.Reason).EndObject().EndArray();
            }

            json.EndObject();
        }

        return json.EndArray().EndObject().EndArray().EndObject() + "\n";
    }

    /// <summary>GitHub Actions workflow commands: each diagnostic shows on the pull request's diff.</summary>
    public static string GitHub(IEnumerable<Diagnostic> diagnostics, string? helpLinkBase = null)
    {
        var text = new StringBuilder();
        foreach (var diagnostic in Visible(diagnostics))
        {
            var level = diagnostic.Severity == DiagnosticSeverity.Error && !diagnostic.Acknowledged ? "error" : diagnostic.Severity == DiagnosticSeverity.Info || diagnostic.Acknowledged ? "notice" : "warning";
            text.Append("::").Append(level);
            var properties = new List<string>();
            if (!diagnostic.Span.IsNone)
            {
                properties.Add("file=" + Property(diagnostic.Span.File));
                properties.Add("line=" + diagnostic.Span.Line);
                properties.Add("col=" + diagnostic.Span.Column);
            }

            properties.Add("title=" + Property(diagnostic.Id + (diagnostic.Object is null ? string.Empty : " " + diagnostic.Object)));
            text.Append(' ').Append(string.Join(",", properties)).Append("::").Append(Data(diagnostic.Message + See(diagnostic.Id, helpLinkBase))).Append('\n');
        }

        return text.ToString();
    }

    private static string See(string id, string? helpLinkBase) =>
        DiagnosticHelpLinks.For(id, helpLinkBase) is { Length: > 0 } link ? " (" + link + ")" : string.Empty;

    private static IEnumerable<Diagnostic> Visible(IEnumerable<Diagnostic> diagnostics) => diagnostics.Where(d => d.Severity != DiagnosticSeverity.Hidden);

    private static string Data(string text) => text.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");

    private static string Property(string text) => Data(text).Replace(":", "%3A").Replace(",", "%2C");
}
