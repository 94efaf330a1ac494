using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using SchemaBuild.Core.Serialization.Json;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Core.Serialization;

namespace SchemaBuild.Core.Artifacts;

/// <summary>
/// Reads plan.json (format version 1, written by <see cref="PlanJson"/>) back into a <see cref="Plan"/>
/// for deployment, streaming: the file is read through a buffer and each part (a model, a step) is
/// built and its JSON dropped before the next, so a large plan needs about the memory of its models.
/// plan.json carries the source and target models and the fingerprints but not the typed changes:
/// every step's <see cref="PlanStep.Changes"/> is empty (deploy recomputes them from the models).
/// </summary>
public static class PlanReader
{
    /// <summary>Reads a plan; a <see cref="FormatException"/> says what is wrong with the text.</summary>
    public static Plan Read(string text) => Read(new StringReader(text));

    /// <param name="checkFormatVersion">
    /// Given the <c>formatVersion</c> text, returns why this reader cannot read it (null when it can).
    /// Default: only version 1. Hosts with a version library (the CLI, Runtime) pass a semantic-version check.
    /// </param>
    public static Plan Read(TextReader reader, Func<string, string?>? checkFormatVersion = null)
    {
        checkFormatVersion ??= DefaultFormatCheck;
        var parser = JsonParser.Open(reader);
        string? version = null, dialectName = null, serverVersion = null, sourceFingerprint = null, targetFingerprint = null, severities = null;
        Schema? source = null, target = null;
        var steps = new List<PlanStep>();
        var diagnostics = new List<Diagnostic>();
        parser.StartObject();
        while (parser.NextMember(out var name))
        {
            switch (name)
            {
                case "formatVersion":
                    version = parser.ReadValue() switch { JsonNumber n => n.Text, JsonString s => s.Value, _ => "(not a version)" };
                    if (checkFormatVersion(version) is { } problem)
                    {
                        throw new FormatException(problem);
                    }

                    break;
                case "dialect": dialectName = Text(parser, name); break;
                case "serverVersion": serverVersion = Text(parser, name); break;
                case "sourceFingerprint": sourceFingerprint = Text(parser, name); break;
                case "targetFingerprint": targetFingerprint = Text(parser, name); break;
                case "severities": severities = Text(parser, name); break;
                case "source": source = ModelSerializer.ReadSchema(parser.ReadValue()); break;
                case "target": target = ModelSerializer.ReadSchema(parser.ReadValue()); break;
                case "steps":
                    List(parser, "'steps'");
                    while (parser.NextItem())
                    {
                        steps.Add(ReadStep(parser.ReadValue() as JsonObject ?? throw new FormatException($"plan.json: step {steps.Count + 1} is not a JSON object"), steps.Count + 1));
                    }

                    break;
                case "diagnostics":
                    List(parser, "'diagnostics'");
                    while (parser.NextItem())
                    {
                        diagnostics.Add(ReadDiagnostic(parser.ReadValue() as JsonObject ?? throw new FormatException("plan.json: every diagnostic must be an object")));
                    }

                    break;
                default:
                    parser.ReadValue();
                    break;
            }
        }

        parser.End();
        if (version is null)
        {
            throw new FormatException("plan.json has no 'formatVersion': it is not a SchemaBuild plan");
        }

        if (!DialectNames.TryParse(dialectName, out var dialect))
        {
            throw new FormatException($"plan.json: 'dialect' is '{dialectName ?? "(missing)"}'; expected mysql, mariadb or postgres");
        }

        var engine = EngineProfile.For(dialect, serverVersion);
        if (target is null)
        {
            throw new FormatException("plan.json has no 'target' model");
        }

        if (source is null)
        {
            throw new FormatException(
                "plan.json has no 'source' model: it was written by an earlier SchemaBuild, and deploy only runs SQL it can derive from the plan's models. "
                + "Compile the plan again with this version (dotnet build, or dotnet schema plan --format json)");
        }

        return new Plan(engine, source, target, steps.ToEquatableList(), diagnostics.ToEquatableList())
        {
            SourceFingerprint = sourceFingerprint ?? throw new FormatException("plan.json has no 'sourceFingerprint'"),
            TargetFingerprint = targetFingerprint ?? throw new FormatException("plan.json has no 'targetFingerprint'"),
            Severities = severities ?? string.Empty,
        };
    }

    private static string? DefaultFormatCheck(string version) =>
        version == PlanJson.FormatVersion.ToString(CultureInfo.InvariantCulture)
            ? null
            : $"plan format version {version} is not supported; this SchemaBuild reads version {PlanJson.FormatVersion}. Compile the plan again with this version";

    private static string? Text(JsonParser parser, string name) => parser.ReadValue() switch
    {
        JsonString s => s.Value,
        JsonNull => null,
        _ => throw new FormatException($"plan.json: '{name}' must be a string"),
    };

    private static void List(JsonParser parser, string what)
    {
        try
        {
            parser.StartArray();
        }
        catch (FormatException ex)
        {
            throw new FormatException($"plan.json: {what} must be a list ({ex.Message})");
        }
    }

    /// <param name="position">1-based position in the list: step ids must be 1, 2, 3... in order, as the planner numbers them.</param>
    private static PlanStep ReadStep(JsonObject node, int position)
    {
        var idNode = node["id"] as JsonNumber ?? throw new FormatException($"plan.json: step {position} has no numeric 'id'");
        if (!long.TryParse(idNode.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) || id != position)
        {
            throw new FormatException($"plan.json: step {position} has id {idNode.Text}; step ids must be 1, 2, 3... in order, without duplicates or gaps. Compile the plan again instead of editing it");
        }

        var strategyName = node.GetString("strategy") ?? string.Empty;
        if (!StrategyNames.TryParse(strategyName, out var strategy))
        {
            throw new FormatException($"plan.json: step {id} has strategy '{strategyName}'; expected one of direct, instant, inplace, concurrent, not-valid-validate, ghost-copy");
        }

        if (node["sql"] is not JsonArray statements)
        {
            throw new FormatException($"plan.json: step {id}: 'sql' must be a list of strings");
        }

        var sql = new List<string>();
        foreach (var statement in statements.Items)
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
        return new PlanStep((int)id, node.GetString("object") ?? string.Empty, node.GetString("change") ?? string.Empty, strategy, sql.ToEquatableList())
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
