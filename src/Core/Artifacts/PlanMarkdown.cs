using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Planning;

namespace SchemaBuild.Core.Artifacts;

/// <summary>plan.md: the review summary for pull requests — steps, strategies, risks, diagnostics.</summary>
public static class PlanMarkdown
{
    /// <param name="helpLinkBase">The project's <c>SchemaHelpLinkBase</c>; null for the rule pages at the repository.</param>
    public static string Write(Plan plan, string? helpLinkBase = null)
    {
        var text = new StringBuilder();
        var errors = plan.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error && !d.Acknowledged);
        var warnings = plan.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);
        text.Append("## SchemaBuild plan\n\n");
        text.Append(errors > 0 ? "**Unsafe:** " : "**Safe to deploy:** ")
            .Append(plan.Steps.Count).Append(" step(s) on ").Append(DialectNames.Of(plan.Engine.Dialect)).Append(' ').Append(plan.Engine.Version)
            .Append(", ").Append(errors).Append(" error(s), ").Append(warnings).Append(" warning(s)");
        var copies = plan.Steps.Count(s => s.Strategy == Strategy.GhostCopy);
        if (copies > 0)
        {
            text.Append(", ").Append(copies).Append(" online table copy(ies)");
        }

        text.Append(".\n\n");
        if (plan.Steps.Count > 0)
        {
            text.Append("| # | change | object | strategy | lock | risk |\n|---|---|---|---|---|---|\n");
            var worst = WorstById(plan);
            foreach (var step in plan.Steps)
            {
                text.Append("| ").Append(step.Id)
                    .Append(" | ").Append(step.Change)
                    .Append(" | ").Append(Code(step.ObjectName))
                    .Append(" | ").Append(StrategyNames.Of(step.Strategy))
                    .Append(" | ").Append(PlanJson.LockName(step.Lock)).Append(step.RewritesTable ? ", rewrites" : string.Empty)
                    .Append(" | ").Append(Risk(worst, step))
                    .Append(" |\n");
            }

            text.Append('\n');
        }

        if (plan.Diagnostics.Count > 0)
        {
            text.Append("### Diagnostics\n\n");
            foreach (var diagnostic in plan.Diagnostics.Where(d => d.Severity != DiagnosticSeverity.Hidden))
            {
                text.Append("- ").Append(RuleLink(diagnostic.Id, helpLinkBase)).Append(' ').Append(PlanJson.SeverityName(diagnostic.Severity));
                if (diagnostic.Acknowledged)
                {
                    text.Append(" (acknowledged: ").Append(Escape(diagnostic.Reason ?? string.Empty)).Append(')');
                }

                if (!diagnostic.Span.IsNone)
                {
                    text.Append(" at ").Append(Code(diagnostic.Span.File + ":" + diagnostic.Span.Line));
                }

                text.Append(": ").Append(Escape(diagnostic.Message)).Append('\n');
            }

            text.Append('\n');
        }

        text.Append("<sub>source ").Append(Escape(plan.SourceFingerprint)).Append(" → target ").Append(Escape(plan.TargetFingerprint)).Append("</sub>\n");
        return text.ToString();
    }

    /// <summary>The id in bold, linked to its rule page when a link is known: <c>[**SB1002**](https://…/SB1002.md)</c>.</summary>
    public static string RuleLink(string id, string? helpLinkBase)
    {
        var label = "**" + Escape(id) + "**";
        var link = DiagnosticHelpLinks.For(id, helpLinkBase);
        return link.Length == 0 ? label : "[" + label + "](" + LinkTarget(link) + ")";
    }

    /// <summary>A URL as a link destination: characters that would end it or break the line are percent-encoded.</summary>
    public static string LinkTarget(string url)
    {
        var output = new StringBuilder(url.Length);
        foreach (var c in url)
        {
            output.Append(c is ' ' or '(' or ')' or '<' or '>' or '"' or '\\' || char.IsControl(c) ? "%" + ((int)c).ToString("X2") : c.ToString());
        }

        return output.ToString();
    }

    /// <summary>
    /// Per diagnostic id, the plan's worst diagnostic of that id (warning or above; the first of equals in plan order):
    /// a step's risk is read from its ids once each instead of scanning every diagnostic for every step.
    /// </summary>
    private static Dictionary<string, (Diagnostic Diagnostic, int Index)> WorstById(Plan plan)
    {
        var worst = new Dictionary<string, (Diagnostic Diagnostic, int Index)>(StringComparer.Ordinal);
        for (var i = 0; i < plan.Diagnostics.Count; i++)
        {
            var diagnostic = plan.Diagnostics[i];
            if (diagnostic.Severity >= DiagnosticSeverity.Warning
                && (!worst.TryGetValue(diagnostic.Id, out var known) || diagnostic.Severity > known.Diagnostic.Severity))
            {
                worst[diagnostic.Id] = (diagnostic, i);
            }
        }

        return worst;
    }

    private static string Risk(Dictionary<string, (Diagnostic Diagnostic, int Index)> worstById, PlanStep step)
    {
        (Diagnostic Diagnostic, int Index)? worstOfStep = null;
        foreach (var stepId in step.Diagnostics)
        {
            if (worstById.TryGetValue(stepId, out var candidate)
                && (worstOfStep is not { } current
                    || candidate.Diagnostic.Severity > current.Diagnostic.Severity
                    || (candidate.Diagnostic.Severity == current.Diagnostic.Severity && candidate.Index < current.Index)))
            {
                worstOfStep = candidate;
            }
        }

        if (worstOfStep is not { } found)
        {
            return step.Strategy == Strategy.GhostCopy ? "table copy" : "low";
        }

        var worst = found.Diagnostic;
        var id = Escape(worst.Id);
        var label = worst.Severity == DiagnosticSeverity.Error && !worst.Acknowledged ? "**" + id + "**" : id;
        return label + (worst.Acknowledged ? " (acknowledged)" : string.Empty);
    }

    /// <summary>
    /// User text (names, messages, reasons) as plain Markdown text in a table cell or list item:
    /// every ASCII punctuation character is backslash-escaped, so no text can open a link, image,
    /// code span, emphasis or HTML tag, and line breaks become spaces so it cannot leave its cell.
    /// </summary>
    public static string Escape(string text)
    {
        var output = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (char.IsControl(c) || c == '\u2028' || c == '\u2029')
            {
                output.Append(' ');
            }
            else if (c < 128 && char.IsPunctuation(c) || c < 128 && char.IsSymbol(c))
            {
                output.Append('\\').Append(c);
            }
            else
            {
                output.Append(c);
            }
        }

        return output.ToString();
    }

    /// <summary>
    /// User text as a code span: the fence is one backtick longer than the longest run of backticks
    /// in the text (so none can close it), padded when the text starts or ends with a backtick; a
    /// pipe is escaped as GitHub tables require even inside code; line breaks become spaces.
    /// </summary>
    public static string Code(string text)
    {
        int run = 0, longest = 0;
        foreach (var c in text)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        var pad = text.StartsWith("`", StringComparison.Ordinal) || text.EndsWith("`", StringComparison.Ordinal) || text.StartsWith(" ", StringComparison.Ordinal);
        var code = new StringBuilder(text.Length + (2 * longest) + 8);
        code.Append('`', longest + 1);
        if (pad)
        {
            code.Append(' ');
        }

        foreach (var c in text)
        {
            if (char.IsControl(c) || c == '\u2028' || c == '\u2029')
            {
                code.Append(' ');
            }
            else if (c == '|')
            {
                code.Append('\\').Append('|');
            }
            else
            {
                code.Append(c);
            }
        }

        if (pad)
        {
            code.Append(' ');
        }

        return code.Append('`', longest + 1).ToString();
    }
}
