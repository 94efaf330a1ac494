using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Loading;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Runtime.Tests;

/// <summary>One scenario of the plan suite (tests/SchemaBuild.Core.Tests/Scenarios, linked read-only): baseline, desired and seed SQL.</summary>
public sealed record ScenarioFile(string Name, DialectKind Dialect, string Baseline, string Desired, string Seed)
{
    /// <summary><c>-- expect: fails TEXT</c>: deploy must stop at a step whose message holds TEXT, leaving the schema as it was.</summary>
    public string? FailsWith { get; init; }

    public static IEnumerable<object[]> All(string dialect) =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Scenarios", dialect), "*.scenario")
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => new object[] { Path.GetFileName(p) });

    public static ScenarioFile Load(string dialect, string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Scenarios", dialect, file);
        var sections = new Dictionary<string, List<string>> { ["head"] = new(), ["baseline"] = new(), ["desired"] = new(), ["seed"] = new() };
        var current = sections["head"];
        foreach (var line in File.ReadAllLines(path))
        {
            if (line.StartsWith("=== ", StringComparison.Ordinal))
            {
                current = sections[line.Substring(4).Trim()];
                continue;
            }

            current.Add(line);
        }

        const string fails = "-- expect: fails ";
        return new ScenarioFile(Path.GetFileNameWithoutExtension(path), dialect == "postgres" ? DialectKind.Postgres : DialectKind.MariaDb,
            string.Join("\n", sections["baseline"]), string.Join("\n", sections["desired"]), string.Join("\n", sections["seed"]))
        {
            FailsWith = sections["head"].Where(l => l.StartsWith(fails, StringComparison.Ordinal)).Select(l => l.Substring(fails.Length).Trim()).FirstOrDefault(),
        };
    }

    public Plan Plan()
    {
        var dialect = SqlDialects.For(Dialect);
        return Planner.Create(Model(dialect, Baseline), Model(dialect, Desired), EngineProfile.For(Dialect));
    }

    /// <summary>The plan from a live schema to the desired files: what <c>diff</c> shows after a deploy.</summary>
    public Plan PlanFrom(Schema live) => Planner.Create(live, Model(SqlDialects.For(Dialect), Desired), EngineProfile.For(Dialect));

    public static Schema Model(ISqlDialect dialect, string text)
    {
        var result = SchemaLoader.Load(dialect, new[] { new SourceFile("scenario.sql", text) });
        var errors = result.Diagnostics.Where(d => d.Id.StartsWith("SB000", StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("scenario does not load: " + string.Join("\n", errors));
        }

        return result.Schema;
    }

    /// <summary>Safe plans deploy: ghost copies run online on both engines.</summary>
    public bool Deployable(Plan plan) => !plan.HasErrors;
}
