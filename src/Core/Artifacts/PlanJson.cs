using System.Globalization;
using System.IO;
using System.Linq;
using SchemaBuild.Core.Serialization.Json;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Planning;
using SchemaBuild.Core.Serialization;

namespace SchemaBuild.Core.Artifacts;

/// <summary>
/// plan.json, format version 1 (docs/interfaces): stable field names, deterministic bytes — the
/// same plan always writes the same file.
/// </summary>
public static class PlanJson
{
    public const int FormatVersion = 1;

    /// <param name="helpLinkBase">The project's <c>SchemaHelpLinkBase</c>; null for the rule pages at the repository.</param>
    public static string Write(Plan plan, string? helpLinkBase = null)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        Write(plan, text, helpLinkBase);
        return text.ToString();
    }

    /// <summary>Streams plan.json to <paramref name="output"/>: a plan of hundreds of megabytes is never one string in memory.</summary>
    public static void Write(Plan plan, TextWriter output, string? helpLinkBase = null)
    {
        var json = new JsonWriter(output);
        json.StartObject()
            .Name("formatVersion").Number(FormatVersion)
            .Name("dialect").String(DialectNames.Of(plan.Engine.Dialect))
            .Name("serverVersion").String(plan.Engine.Version.ToString())
            .Name("sourceFingerprint").String(plan.SourceFingerprint)
            .Name("targetFingerprint").String(plan.TargetFingerprint);
        if (plan.Severities.Length > 0)
        {
            // Deploy recomputes the diagnostics with the same overrides.
            json.Name("severities").String(plan.Severities);
        }

        json.Name("steps").StartArray();
        foreach (var step in plan.Steps)
        {
            json.StartObject()
                .Name("id").Number(step.Id)
                .Name("object").String(step.ObjectName)
                .Name("change").String(step.Change)
                .Name("strategy").String(StrategyNames.Of(step.Strategy))
                .Name("sql").StartArray();
            foreach (var statement in step.Sql)
            {
                json.String(statement);
            }

            json.EndArray().Name("diagnostics").StartArray();
            foreach (var id in step.Diagnostics)
            {
                json.String(id);
            }

            json.EndArray()
                .Name("lock").String(LockName(step.Lock))
                .Name("rewritesTable").Bool(step.RewritesTable)
                .Name("transactional").Bool(step.Transactional);
            if (step.Table is not null)
            {
                json.Name("table").String(step.Table.ToString());
            }

            if (step.Prechecks.Count > 0)
            {
                json.Name("prechecks").StartArray();
                foreach (var check in step.Prechecks)
                {
                    json.StartObject().Name("countSql").String(check.CountSql).Name("refusal").String(check.Refusal).EndObject();
                }

                json.EndArray();
            }

            json.EndObject();
        }

        json.EndArray().Name("diagnostics").StartArray();
        foreach (var diagnostic in plan.Diagnostics.Where(d => d.Severity != DiagnosticSeverity.Hidden))
        {
            WriteDiagnostic(json, diagnostic, helpLinkBase);
        }

        // The source model lets deploy recompute every step and refuse SQL it cannot derive (a plan edited by hand).
        json.EndArray().Name("source");
        ModelSerializer.Write(json, plan.Source, includeSource: true);
        // Both models keep their source details (renamed-from drives rename steps, SQL as written is what deploys), so the planner gives the same steps again.
        json.Name("target");
        ModelSerializer.Write(json, plan.Target, includeSource: true);
        json.EndObject();
        json.Flush();
        output.Write('\n');
    }

    public static void WriteDiagnostic(JsonWriter json, Diagnostic diagnostic, string? helpLinkBase = null)
    {
        json.StartObject()
            .Name("id").String(diagnostic.Id)
            .Name("severity").String(SeverityName(diagnostic.Severity))
            .Name("object").String(diagnostic.Object)
            .Name("file").String(diagnostic.Span.IsNone ? null : diagnostic.Span.File);
        if (diagnostic.Span.IsNone)
        {
            json.Name("line").Null().Name("column").Null();
        }
        else
        {
            json.Name("line").Number(diagnostic.Span.Line).Name("column").Number(diagnostic.Span.Column);
        }

        json.Name("message").String(diagnostic.Message)
            .Name("acknowledged").Bool(diagnostic.Acknowledged)
            .Name("reason").String(diagnostic.Reason)
            .Name("helpUri").String(DiagnosticHelpLinks.For(diagnostic.Id, helpLinkBase) is { Length: > 0 } link ? link : null)
            .EndObject();
    }

    public static string SeverityName(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        DiagnosticSeverity.Info => "info",
        _ => "hidden",
    };

    public static string LockName(LockLevel level) => level switch
    {
        LockLevel.None => "none",
        LockLevel.Brief => "brief",
        LockLevel.WritesBlocked => "writes-blocked",
        _ => "exclusive",
    };
}
