using System;
using System.Linq;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Planning;
using Xunit.Sdk;

namespace SchemaBuild.Core.Tests.Planning;

/// <summary>
/// The expectation language of scenario files, one per <c>-- expect:</c> line:
/// <c>safe</c>, <c>unsafe</c>, <c>error|warning|info ID [object]</c>, <c>acknowledged ID object</c>,
/// <c>none ID [object]</c>, <c>step CHANGE OBJECT STRATEGY</c> (<c>*</c> matches anything), <c>steps N</c>,
/// <c>sql TEXT</c>, <c>nosql TEXT</c>, <c>before OBJECT OBJECT</c>, <c>rows TABLE N</c> (checked after deploy),
/// <c>fails TEXT</c> (deploy stops at a step with TEXT in its message, the schema unchanged).
/// </summary>
internal static class ScenarioExpectations
{
    public static void Check(string expectation, Plan plan, string planSql, string context)
    {
        var words = expectation.Split(' ', 2);
        var rest = words.Length > 1 ? words[1].Trim() : string.Empty;
        var args = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        bool ok;
        switch (words[0])
        {
            case "safe":
                ok = !plan.HasErrors;
                break;
            case "unsafe":
                ok = plan.HasErrors;
                break;
            case "error":
            case "warning":
            case "info":
                var severity = words[0] == "error" ? DiagnosticSeverity.Error : words[0] == "warning" ? DiagnosticSeverity.Warning : DiagnosticSeverity.Info;
                ok = plan.Diagnostics.Any(d => d.Id == args[0] && d.Severity == severity && !d.Acknowledged
                    && (args.Length < 2 || string.Equals(d.Object, args[1], StringComparison.OrdinalIgnoreCase)));
                break;
            case "acknowledged":
                ok = plan.Diagnostics.Any(d => d.Id == args[0] && d.Acknowledged && string.Equals(d.Object, args[1], StringComparison.OrdinalIgnoreCase));
                break;
            case "none":
                ok = plan.Diagnostics.All(d => d.Id != args[0] || (args.Length > 1 && !string.Equals(d.Object, args[1], StringComparison.OrdinalIgnoreCase)));
                break;
            case "step":
                ok = plan.Steps.Any(s => Matches(args[0], s.Change) && Matches(args[1], s.ObjectName) && Matches(args[2], StrategyNames.Of(s.Strategy)));
                break;
            case "steps":
                ok = plan.Steps.Count == int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
                break;
            case "sql":
                ok = planSql.Contains(rest, StringComparison.Ordinal);
                break;
            case "nosql":
                ok = !planSql.Contains(rest, StringComparison.Ordinal);
                break;
            case "before":
                var first = FirstStep(plan, args[0]);
                var second = FirstStep(plan, args[1]);
                ok = first >= 0 && second >= 0 && first < second;
                break;
            case "rows":
            case "fails":
                return;
            default:
                throw new XunitException($"unknown expectation '{expectation}'");
        }

        if (!ok)
        {
            throw new XunitException($"expectation failed: {expectation}\n{context}");
        }
    }

    private static bool Matches(string pattern, string value) => pattern == "*" || string.Equals(pattern, value, StringComparison.OrdinalIgnoreCase);

    private static int FirstStep(Plan plan, string objectName) =>
        plan.Steps.ToList().FindIndex(s => string.Equals(s.ObjectName, objectName, StringComparison.OrdinalIgnoreCase)
            || s.Changes.Any(c => string.Equals(c.ObjectName, objectName, StringComparison.OrdinalIgnoreCase)));
}
