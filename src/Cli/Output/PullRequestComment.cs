using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Planning;

namespace SchemaBuild.Cli.Output;

/// <summary>
/// The sticky pull-request comment (<c>plan --format github-comment</c>): a hidden marker to find it
/// again, the verdict, each step with its SQL in a collapsible block, the steps that need a ghost
/// copy with an estimate, and the diagnostics linked to their rule pages. GitHub and Azure DevOps
/// both render it (it is also the Azure Pipelines summary tab).
/// </summary>
public static class PullRequestComment
{
    /// <summary>
    /// Rows a ghost copy moves per second in the estimate: a conservative figure for the chunked copy
    /// with change capture running beside production traffic (docs/pull-requests.md).
    /// </summary>
    public const long CopyRowsPerSecond = 20_000;

    /// <summary>The hidden first line that marks the comment of one project, so a new push updates it instead of adding another.</summary>
    public static string Marker(string project) => $"<!-- schemabuild-plan: {project.Replace("--", "- -", StringComparison.Ordinal)} -->";

    /// <param name="project">Names the project in the marker and the heading (several projects get one comment each).</param>
    /// <param name="tableRows">Row counts per table (<c>shop.orders</c> or <c>orders</c>), for the ghost-copy estimate; may be empty.</param>
    public static string Write(PlanCompilation compilation, string project, string? helpLinkBase, IReadOnlyDictionary<string, long> tableRows)
    {
        var text = new StringBuilder();
        text.Append(Marker(project)).Append('\n');
        text.Append("## SchemaBuild plan: ").Append(PlanMarkdown.Code(project)).Append("\n\n");
        var diagnostics = compilation.Diagnostics.Where(d => d.Severity != DiagnosticSeverity.Hidden).ToList();
        var errors = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error && !d.Acknowledged);
        var warnings = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning && !d.Acknowledged);
        var plan = compilation.Plan;
        if (plan is null)
        {
            text.Append(":x: **No plan**: the schema files or the baseline cannot be read; ").Append(errors).Append(" error(s).\n\n");
        }
        else
        {
            var copies = plan.Steps.Where(s => s.Strategy == Strategy.GhostCopy).ToList();
            text.Append(errors > 0 ? ":x: **Unsafe**" : ":white_check_mark: **Safe to deploy**")
                .Append(": ").Append(plan.Steps.Count).Append(" step(s) on ").Append(DialectNames.Of(plan.Engine.Dialect)).Append(' ').Append(plan.Engine.Version)
                .Append(", ").Append(errors).Append(" error(s), ").Append(warnings).Append(" warning(s)")
                .Append(copies.Count > 0 ? $", {copies.Count} ghost copy(ies)" : string.Empty).Append(".\n\n");
            WriteSteps(text, plan);
            WriteCopies(text, copies, tableRows);
        }

        WriteDiagnostics(text, diagnostics, helpLinkBase);
        if (errors > 0)
        {
            text.Append("To go ahead, follow the safe recipe on each error's rule page, or acknowledge it in the schema file with ")
                .Append("`-- schema:allow SBxxxx object \"reason\"`.\n\n");
        }

        text.Append("<sub>Updated by SchemaBuild for every push to this pull request.</sub>\n");
        return text.ToString();
    }

    private static void WriteSteps(StringBuilder text, Plan plan)
    {
        if (plan.Steps.Count == 0)
        {
            text.Append("Nothing to deploy: the schema files match the baseline.\n\n");
            return;
        }

        text.Append("### Steps\n\n");
        foreach (var step in plan.Steps)
        {
            var ids = step.Diagnostics.Count == 0 ? string.Empty : " — " + string.Join(", ", step.Diagnostics.Select(PlanMarkdown.Escape));
            text.Append("<details><summary>").Append(step.Id).Append(". ").Append(Html(step.Change)).Append(' ').Append(Html(step.ObjectName))
                .Append(" [").Append(StrategyNames.Of(step.Strategy)).Append(']').Append(Html(ids)).Append("</summary>\n\n");
            text.Append(Fence(string.Join("\n", step.Sql))).Append("\n</details>\n\n");
        }
    }

    private static void WriteCopies(StringBuilder text, IReadOnlyList<PlanStep> copies, IReadOnlyDictionary<string, long> tableRows)
    {
        if (copies.Count == 0)
        {
            return;
        }

        text.Append("### Ghost copies\n\n")
            .Append("These steps rebuild a table online (shadow table, chunked copy, change capture, gated cutover): the server needs room for a second copy of the table.\n\n")
            .Append("| step | table | rows | estimate |\n|---|---|---|---|\n");
        foreach (var step in copies)
        {
            var table = step.ObjectName;
            var rows = RowsOf(table, tableRows);
            text.Append("| ").Append(step.Id).Append(" | ").Append(PlanMarkdown.Code(table)).Append(" | ")
                .Append(rows is null ? "unknown" : rows.Value.ToString("N0", CultureInfo.InvariantCulture)).Append(" | ")
                .Append(rows is null ? "pass `--table-rows` for an estimate" : "about " + Duration(rows.Value)).Append(" |\n");
        }

        text.Append('\n');
    }

    private static void WriteDiagnostics(StringBuilder text, IReadOnlyList<Diagnostic> diagnostics, string? helpLinkBase)
    {
        if (diagnostics.Count == 0)
        {
            return;
        }

        text.Append("### Diagnostics\n\n");
        foreach (var diagnostic in diagnostics.OrderByDescending(d => d.Severity).ThenBy(d => d.Acknowledged))
        {
            text.Append("- ").Append(Icon(diagnostic)).Append(' ').Append(PlanMarkdown.RuleLink(diagnostic.Id, helpLinkBase)).Append(' ');
            if (!diagnostic.Span.IsNone)
            {
                text.Append(PlanMarkdown.Code(diagnostic.Span.File + ":" + diagnostic.Span.Line)).Append(' ');
            }

            text.Append(PlanMarkdown.Escape(diagnostic.Message));
            if (diagnostic.Acknowledged)
            {
                text.Append(" _(acknowledged: ").Append(PlanMarkdown.Escape(diagnostic.Reason ?? "no reason given")).Append(")_");
            }

            text.Append('\n');
        }

        text.Append('\n');
    }

    private static string Icon(Diagnostic diagnostic) => diagnostic.Acknowledged
        ? ":ballot_box_with_check:"
        : diagnostic.Severity switch
        {
            DiagnosticSeverity.Error => ":x:",
            DiagnosticSeverity.Warning => ":warning:",
            _ => ":information_source:",
        };

    /// <summary>A table's rows: by its full name, or by its name without the schema.</summary>
    private static long? RowsOf(string objectName, IReadOnlyDictionary<string, long> tableRows)
    {
        if (tableRows.TryGetValue(objectName, out var rows))
        {
            return rows;
        }

        var dot = objectName.LastIndexOf('.');
        return dot >= 0 && tableRows.TryGetValue(objectName.Substring(dot + 1), out rows) ? rows : null;
    }

    internal static string Duration(long rows)
    {
        var seconds = Math.Max(1, (rows + CopyRowsPerSecond - 1) / CopyRowsPerSecond);
        return seconds switch
        {
            < 60 => $"{seconds} s",
            < 3600 => $"{(seconds + 59) / 60} min",
            _ => $"{seconds / 3600.0:0.#} h".Replace(',', '.'),
        };
    }

    /// <summary>SQL in a fenced block whose fence is longer than any backtick run inside it.</summary>
    private static string Fence(string sql)
    {
        var longest = 0;
        var run = 0;
        foreach (var c in sql)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        var fence = new string('`', Math.Max(3, longest + 1));
        return fence + "sql\n" + sql + "\n" + fence;
    }

    /// <summary>Text inside the HTML summary element: markup characters escaped.</summary>
    private static string Html(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)
            .Replace("\n", " ", StringComparison.Ordinal).Replace("\r", " ", StringComparison.Ordinal);
}
