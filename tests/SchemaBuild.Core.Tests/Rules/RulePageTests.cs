using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using SchemaBuild.Core.Diagnostics;
using Xunit;

namespace SchemaBuild.Core.Tests.Rules;

/// <summary>
/// Every id has a page people can open (docs/rules/SBxxxx.md) with why, the safe recipe and how to
/// acknowledge, its https help link points there, and its messages say what to do instead.
/// </summary>
public sealed class RulePageTests
{
    public static IEnumerable<object[]> Ids() =>
        DiagnosticCatalog.All.Select(d => d.Id).Concat(new[] { BuildErrorCodes.BadDialect, BuildErrorCodes.BadSetting })
            .Distinct().OrderBy(id => id, StringComparer.Ordinal).Select(id => new object[] { id });

    [Theory]
    [MemberData(nameof(Ids))]
    public void Every_id_has_a_page_with_why_recipe_and_acknowledgement(string id)
    {
        var path = Path.Combine(SchemaBuild.Tests.Shared.RepositoryRoot.Find(), "docs", "rules", id + ".md");
        Assert.True(File.Exists(path), $"{id} has no page: write {path}");
        var page = File.ReadAllText(path);
        Assert.StartsWith("# " + id + ": ", page);
        foreach (var section in new[] { "## Why it matters", "### MySQL and MariaDB", "### PostgreSQL", "## Safe recipe", "## How to acknowledge" })
        {
            Assert.True(page.Contains("\n" + section + "\n", StringComparison.Ordinal), $"{id}: the page has no '{section}' section");
        }

        var recipe = page.Substring(page.IndexOf("## Safe recipe", StringComparison.Ordinal));
        Assert.Matches(@"\n1\. ", recipe);
        Assert.Matches(@"Before:\s+```\w+\n[^`]+```", recipe);
        Assert.Matches(@"After:\s+```\w+\n[^`]+```", recipe);
        Assert.Contains(id, page.Substring(page.IndexOf("## How to acknowledge", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Help_links_are_https_pages_of_the_repository(string id)
    {
        var link = DiagnosticHelpLinks.For(id);
        Assert.StartsWith("https://", link);
        Assert.EndsWith("/docs/rules/" + id + ".md", link);
    }

    [Fact]
    public void A_project_base_overrides_the_default_and_may_place_the_id()
    {
        Assert.Equal("https://docs.example.com/schema/SB1002.md", DiagnosticHelpLinks.For("SB1002", "https://docs.example.com/schema"));
        Assert.Equal("https://wiki.example.com/rules?id=SB1002", DiagnosticHelpLinks.For("SB1002", "https://wiki.example.com/rules?id={id}"));
        Assert.Equal(DiagnosticHelpLinks.For("SB1002"), DiagnosticHelpLinks.For("SB1002", "  "));
    }

    /// <summary>Errors and warnings about a change (SB1xxx–SB6xxx) end with what to do instead, in the SB1002/SB2003 style.</summary>
    [Theory]
    [MemberData(nameof(RuleCatalogTests.Cases), MemberType = typeof(RuleCatalogTests))]
    public void Error_and_warning_messages_say_what_to_do(string id, string dialect, string baseline, string fires, string quiet)
    {
        _ = quiet;
        var descriptor = DiagnosticCatalog.Find(id)!;
        if (id.StartsWith("SB0", StringComparison.Ordinal) || (descriptor.DefaultSeverity < DiagnosticSeverity.Warning && id != DiagnosticCatalog.GhostCopyPlanned.Id))
        {
            return;
        }

        var advice = new Regex(@"(schema:allow|schema:renamed-from|[;.:] (add|use|keep|move|give|fix|write|choose|set|compute|check|append|make|count|find|backfill|remove|rename|look|run|split|prefer|fetch|quote|declare|define|turn)\b|\b(instead|first)\b)", RegexOptions.IgnoreCase);
        var diagnostics = RuleCatalogTests.DiagnosticsOf(dialect, baseline, fires).Where(d => d.Id == id).ToList();
        Assert.NotEmpty(diagnostics);
        foreach (var diagnostic in diagnostics)
        {
            Assert.True(advice.IsMatch(diagnostic.Message), $"{id} does not say what to do instead: {diagnostic.Message}");
        }
    }
}
