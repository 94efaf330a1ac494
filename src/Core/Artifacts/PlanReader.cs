using System;
using System.Collections.Generic;
using System.Globalization;
using SchemaBuild.Core.Artifacts.Json;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;

namespace SchemaBuild.Core.Artifacts;

/// <summary>
/// Reads plan.json (format version 1, written by <see cref="PlanJson"/>) back into a <see cref="Plan"/>
/// for deployment. plan.json carries the target model and both fingerprints but not the source model
/// nor the typed changes: the returned plan's <see cref="Plan.Source"/> is an empty schema of the
/// plan's dialect and every step's <see cref="PlanStep.Changes"/> is empty.
/// </summary>
public static class PlanReader
{
    /// <summary>Reads a plan; a <see cref="FormatException"/> says what is wrong with the text.</summary>
    public static Plan Read(string text)
    {
        var root = JsonParser.Parse(text) as JsonObject ?? throw new FormatException("plan.json must be a JSON object");
        var version = root.GetNumber("formatVersion");
        if (version != PlanJson.FormatVersion)
        {
            throw new FormatException($"plan format version {version?.ToString(CultureInfo.InvariantCulture) ?? "(missing)"} is not supported; this SchemaBuild reads version {PlanJson.FormatVersion}. Compile the plan again with this version");
        }

        var dialectName = root.GetString("dialect");
        if (!DialectNames.TryParse(dialectName, out var dialect))
        {
            throw new FormatException($"plan.json: 'dialect' is '{dialectName ?? "(missing)"}'; expected mysql, mariadb or postgres");
        }

        var engine = EngineProfile.For(dialect, root.GetString("serverVersion"));
        var target = root["target"] is { } targetNode ? ModelSerializer.ReadSchema(targetNode) : throw new FormatException("plan.json has no 'target' model");
        var steps = new List<PlanStep>();
        foreach (var node in Items(root, "steps"))
        {
            steps.Add(ReadStep(node as JsonObject ?? throw new FormatException("plan.json: every step must be an object")));
        }

        var diagnostics = new List<Diagnostic>();
        foreach (var node in Items(root, "diagnostics"))
        {
            diagnostics.Add(ReadDiagnostic(node as JsonObject ?? throw new FormatException("plan.json: every diagnostic must be an object")));
        }

        return new Plan(engine, new Schema(dialect), target, steps.ToEquatableList(), diagnostics.ToEquatableList())
        {
            SourceFingerprint = root.GetString("sourceFingerprint") ?? throw new FormatException("plan.json has no 'sourceFingerprint'"),
            TargetFingerprint = root.GetString("targetFingerprint") ?? throw new FormatException("plan.json has no 'targetFingerprint'"),
        };
    }

    private static PlanStep ReadStep(JsonObject node)
    {
        var id = (int)(node.GetNumber("id") ?? throw new FormatException("plan.json: a step has no 'id'"));
        var strategyName = node.GetString("strategy") ?? string.Empty;
        if (!StrategyNames.TryParse(strategyName, out var strategy))
        {
            throw new FormatException($"plan.json: step {id} has strategy '{strategyName}'; expected one of direct, instant, inplace, concurrent, not-valid-validate, ghost-copy");
        }

        var sql = new List<string>();
        foreach (var statement in Items(node, "sql"))
        {
            sql.Add((statement as JsonString)?.Value ?? throw new FormatException($"plan.json: step {id} has a non-string SQL statement"));
        }

        var diagnostics = new List<string>();
        foreach (var diagnostic in Items(node, "diagnostics"))
        {
            if (diagnostic is JsonString s)
            {
                diagnostics.Add(s.Value);
            }
        }

        var prechecks = new List<StepPrecheck>();
        foreach (var check in Items(node, "prechecks"))
        {
            var checkNode = check as JsonObject;
            prechecks.Add(new StepPrecheck(
                checkNode?.GetString("countSql") ?? throw new FormatException($"plan.json: step {id} has a precheck without 'countSql'"),
                checkNode.GetString("refusal") ?? string.Empty));
        }

        var table = node.GetString("table");
        return new PlanStep(id, node.GetString("object") ?? string.Empty, node.GetString("change") ?? string.Empty, strategy, sql.ToEquatableList())
        {
            Diagnostics = diagnostics.ToEquatableList(),
            Lock = ReadLock(node.GetString("lock")),
            RewritesTable = node.GetBool("rewritesTable") ?? false,
            Transactional = node.GetBool("transactional") ?? false,
            Table = table is null ? null : ReadName(table),
            Prechecks = prechecks.ToEquatableList(),
        };
    }

    private static Diagnostic ReadDiagnostic(JsonObject node)
    {
        var severity = node.GetString("severity") switch
        {
            "error" => DiagnosticSeverity.Error,
            "warning" => DiagnosticSeverity.Warning,
            "info" => DiagnosticSeverity.Info,
            _ => DiagnosticSeverity.Hidden,
        };
        var file = node.GetString("file");
        var line = node.GetNumber("line");
        var column = node.GetNumber("column");
        return new Diagnostic(node.GetString("id") ?? string.Empty, severity, node.GetString("message") ?? string.Empty)
        {
            Object = node.GetString("object"),
            Acknowledged = node.GetBool("acknowledged") ?? false,
            Reason = node.GetString("reason"),
            Span = file is null || line is null ? SourceSpan.None : new SourceSpan(file, (int)line.Value, (int)(column ?? 1), 0, 0),
        };
    }

    private static LockLevel ReadLock(string? name)
    {
        foreach (LockLevel level in Enum.GetValues(typeof(LockLevel)))
        {
            if (PlanJson.LockName(level) == name)
            {
                return level;
            }
        }

        return LockLevel.Brief;
    }

    private static QualifiedName ReadName(string text)
    {
        var dot = text.IndexOf('.');
        return dot < 0 ? QualifiedName.Unqualified(text) : new QualifiedName(text.Substring(0, dot), text.Substring(dot + 1));
    }

    private static IEnumerable<JsonNode> Items(JsonObject node, string name) =>
        node[name] is JsonArray array ? array.Items : (IEnumerable<JsonNode>)Array.Empty<JsonNode>();
}
