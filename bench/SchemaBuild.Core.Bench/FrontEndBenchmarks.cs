using System.Collections.Generic;
using System.Text;
using BenchmarkDotNet.Attributes;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Loading;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Bench;

/// <summary>Parse and normalize a generated 1,000-table schema (target: under 100 ms and 200 MB per dialect).</summary>
[MemoryDiagnoser]
public class FrontEndBenchmarks
{
    private IReadOnlyList<SourceFile> files = null!;
    private ISqlDialect dialect = null!;

    [Params(DialectKind.MariaDb, DialectKind.Postgres)]
    public DialectKind Dialect { get; set; }

    /// <summary>Size of the generated input, for the MB/s figure.</summary>
    public static int InputBytes(DialectKind dialect) => Encoding.UTF8.GetByteCount(GeneratedSchema.Create(dialect, Tables));

    public const int Tables = 1000;

    [GlobalSetup]
    public void Setup()
    {
        dialect = SqlDialects.For(Dialect);
        files = new[] { new SourceFile("Schema/generated.sql", GeneratedSchema.Create(Dialect, Tables)) };
    }

    [Benchmark]
    public Schema ParseAndNormalize() => SchemaLoader.Load(dialect, files).Schema;
}
