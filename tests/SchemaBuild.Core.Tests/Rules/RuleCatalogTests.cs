using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Loading;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Core.Syntax;
using Xunit;

namespace SchemaBuild.Core.Tests.Rules;

/// <summary>Every id of the catalog fires on one change and stays quiet on a close one that is fine.</summary>
public sealed class RuleCatalogTests
{
    public static IEnumerable<object[]> Cases() => RuleCases.All;

    [Fact]
    public void Every_catalog_id_has_a_case()
    {
        var covered = RuleCases.All.Select(c => (string)c[0]).ToHashSet();
        // SB4007 is left: no schema change provokes it since PostgreSQL plans keep the engine's column order
        // (SB4008); it remains the planner's report of a plan whose order does not hold.
        var missing = DiagnosticCatalog.All.Select(d => d.Id).Where(id => id is not ("SB0006" or "SB4007") && !covered.Contains(id)).ToList();
        Assert.True(missing.Count == 0, "no rule case for " + string.Join(", ", missing));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fires_on_the_change(string id, string dialect, string baseline, string fires, string quiet)
    {
        _ = quiet;
        var diagnostics = DiagnosticsOf(dialect, baseline, fires);
        Assert.True(diagnostics.Any(d => d.Id == id), $"{id} did not fire; got:\n{string.Join("\n", diagnostics)}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Stays_quiet_on_the_fine_change(string id, string dialect, string baseline, string fires, string quiet)
    {
        _ = fires;
        var diagnostics = DiagnosticsOf(dialect, baseline, quiet);
        Assert.True(diagnostics.All(d => d.Id != id), $"{id} fired on a fine change:\n{string.Join("\n", diagnostics)}");
    }

    [Fact]
    public void A_missing_baseline_is_SB0006()
    {
        var result = BaselineLoader.Load(SqlDialects.For(DialectKind.MariaDb), "/no/such/baseline.json", ".");
        Assert.Contains(result.Diagnostics, d => d.Id == "SB0006" && d.Message.Contains("does not exist"));
        Assert.Empty(BaselineLoader.Load(SqlDialects.For(DialectKind.MariaDb), null, ".").Diagnostics);
    }

    [Fact]
    public void An_allowance_acknowledges_only_its_object()
    {
        const string baseline = "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, a INT NULL, b INT NULL);";
        const string desired = "CREATE TABLE t (id INT NOT NULL PRIMARY KEY);\n-- schema:allow SB1002 t.a \"unused since 2.0\"";
        var diagnostics = DiagnosticsOf("m", baseline, desired);
        Assert.Contains(diagnostics, d => d.Id == "SB1002" && d.Object == "t.a" && d.Acknowledged && d.Reason == "unused since 2.0");
        Assert.Contains(diagnostics, d => d.Id == "SB1002" && d.Object == "t.b" && !d.Acknowledged);
    }

    [Fact]
    public void Severity_overrides_change_the_grade()
    {
        var overrides = Core.Rules.SeverityOverrides.Parse("SB1002=warning;SB6001=none");
        var dialect = SqlDialects.For(DialectKind.MariaDb);
        var from = SchemaLoader.Load(dialect, new[] { new SourceFile("b.sql", "CREATE TABLE t (id INT NULL, a INT NULL);") }).Schema;
        var to = SchemaLoader.Load(dialect, new[] { new SourceFile("d.sql", "CREATE TABLE t (id INT NULL);") }).Schema;
        var plan = Planner.Create(from, to, EngineProfile.For(DialectKind.MariaDb), overrides);
        Assert.Equal(DiagnosticSeverity.Warning, plan.Diagnostics.Single(d => d.Id == "SB1002").Severity);
        Assert.Equal(DiagnosticSeverity.Hidden, plan.Diagnostics.Single(d => d.Id == "SB6001").Severity);
        Assert.False(plan.HasErrors);
    }

    internal static IReadOnlyList<Diagnostic> DiagnosticsOf(string dialectCode, string baseline, string desired)
    {
        var kind = dialectCode == "p" ? DialectKind.Postgres : DialectKind.MariaDb;
        var dialect = SqlDialects.For(kind);
        var from = SchemaLoader.Load(dialect, new[] { new SourceFile("baseline.sql", baseline) });
        var to = SchemaLoader.Load(dialect, new[] { new SourceFile("Schema/desired.sql", desired) });
        var plan = Planner.Create(from.Schema, to.Schema, EngineProfile.For(kind));
        return to.Diagnostics.Concat(plan.Diagnostics).ToList();
    }
}
