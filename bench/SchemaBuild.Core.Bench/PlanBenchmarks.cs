using BenchmarkDotNet.Attributes;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Loading;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Bench;

/// <summary>Diff and plan a 1,000-table schema with 10% of its tables changed (target: under 100 ms).</summary>
[MemoryDiagnoser]
public class PlanBenchmarks
{
    private Schema baseline = null!;
    private Schema desired = null!;
    private EngineProfile engine = null!;

    [Params(DialectKind.MariaDb, DialectKind.Postgres)]
    public DialectKind Dialect { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var dialect = SqlDialects.For(Dialect);
        engine = EngineProfile.For(Dialect);
        baseline = SchemaLoader.Load(dialect, new[] { new SourceFile("baseline.sql", GeneratedSchema.Create(Dialect, FrontEndBenchmarks.Tables)) }).Schema;
        desired = SchemaLoader.Load(dialect, new[] { new SourceFile("desired.sql", GeneratedSchema.Create(Dialect, FrontEndBenchmarks.Tables, changedEvery: 10)) }).Schema;
    }

    [Benchmark]
    public Plan DiffAndPlan() => Planner.Create(baseline, desired, engine);
}
