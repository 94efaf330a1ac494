using System;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using SchemaBuild.Core.Bench;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;

// Front-end and planning benchmarks on a generated 1,000-table schema, per dialect.
//   dotnet run -c Release --project bench/SchemaBuild.Core.Bench            full run
//   dotnet run -c Release --project bench/SchemaBuild.Core.Bench -- --quick  short run for a smoke check
//   dotnet run -c Release --project bench/SchemaBuild.Core.Bench -- --scaling [dialect ...] [MB ...]  plan time and MB/s per input size (default 1 5 10 25 50)
//   dotnet run -c Release --project bench/SchemaBuild.Core.Bench -- --scaling-changes [dialect ...] [MB ...]  the same against a baseline, every 10th table changed
//   dotnet run -c Release --project bench/SchemaBuild.Core.Bench -- --sections postgres|mariadb MB          seconds per pipeline stage for one size
//   dotnet run -c Release --project bench/SchemaBuild.Core.Bench -- --lex postgres|mariadb MB [rounds]         the lexer alone, warm, against a pass that only reads the characters (MB/cpu-s)
//   dotnet run -c Release --project bench/SchemaBuild.Core.Bench -- --serializer postgres|mariadb MB [rounds]  the target fingerprint and plan.json of one planned model, CPU per round
//   dotnet run -c Release --project bench/SchemaBuild.Core.Bench -- --generate postgres|mariadb MB FILE [N]  writes the generated schema (every Nth table changed), for timing `dotnet schema plan` on it
//   dotnet run -c Release --project bench/SchemaBuild.Core.Bench -- --allocations postgres|mariadb MB [load|plan|planner] what loading (the whole plan, the planner alone) allocates, by type
if (args.Length > 2 && args[0] == "--sections")
{
    PlanSections.Run(DialectNames.TryParse(args[1], out var kind) ? kind : throw new ArgumentException("not a dialect: " + args[1]), int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
    return;
}

if (args.Length > 2 && args[0] == "--lex")
{
    LexRounds.Run(DialectNames.TryParse(args[1], out var kind) ? kind : throw new ArgumentException("not a dialect: " + args[1]), int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 5);
    return;
}

if (args.Length > 2 && args[0] == "--serializer")
{
    SerializerRounds.Run(DialectNames.TryParse(args[1], out var kind) ? kind : throw new ArgumentException("not a dialect: " + args[1]), int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 5);
    return;
}

if (args.Length > 3 && args[0] == "--generate")
{
    var kind = DialectNames.TryParse(args[1], out var parsed) ? parsed : throw new ArgumentException("not a dialect: " + args[1]);
    // An optional fifth argument changes every Nth table: the same tables as the unchanged file, for a plan against it.
    var tables = GeneratedSchema.TablesFor(kind, int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
    System.IO.File.WriteAllText(args[3], GeneratedSchema.Create(kind, tables, args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 0));
    return;
}

if (args.Length > 2 && args[0] == "--allocations")
{
    AllocationSampler.Run(DialectNames.TryParse(args[1], out var kind) ? kind : throw new ArgumentException("not a dialect: " + args[1]), int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), args.Length > 3 ? args[3] : "load");
    return;
}

if (args.Length > 0 && args[0] == "--scaling")
{
    var dialects = args.Skip(1).Where(a => !char.IsDigit(a[0])).Select(a => DialectNames.TryParse(a, out var kind) ? kind : throw new ArgumentException("not a dialect: " + a)).ToArray();
    var sizes = args.Skip(1).Where(a => char.IsDigit(a[0])).Select(int.Parse).ToArray();
    ScalingCurve.Run(sizes.Length > 0 ? sizes : new[] { 1, 5, 10, 25, 50 }, dialects.Length > 0 ? dialects : new[] { DialectKind.MariaDb, DialectKind.Postgres }, changedEvery: 0);
    return;
}

if (args.Length > 0 && args[0] == "--scaling-changes")
{
    // The same curve for a plan against a baseline, every 10th table changed: the cost of a large model that mostly stays.
    var dialects = args.Skip(1).Where(a => !char.IsDigit(a[0])).Select(a => DialectNames.TryParse(a, out var kind) ? kind : throw new ArgumentException("not a dialect: " + a)).ToArray();
    var sizes = args.Skip(1).Where(a => char.IsDigit(a[0])).Select(int.Parse).ToArray();
    ScalingCurve.Run(sizes.Length > 0 ? sizes : new[] { 1, 5, 10, 25, 50 }, dialects.Length > 0 ? dialects : new[] { DialectKind.MariaDb, DialectKind.Postgres }, changedEvery: 10);
    return;
}

var quick = args.Contains("--quick");
IConfig config = quick ? DefaultConfig.Instance.AddJob(Job.ShortRun) : DefaultConfig.Instance;
var rest = args.Where(a => a != "--quick").ToArray();
var frontEnd = BenchmarkRunner.Run<FrontEndBenchmarks>(config, rest);
var planning = BenchmarkRunner.Run<PlanBenchmarks>(config, rest);

Console.WriteLine();
Console.WriteLine($"{"benchmark",-22} {"dialect",-10} {"input",10} {"median",12} {"MB/s",8} {"allocated",12}");
Print(frontEnd, "parse + normalize", withThroughput: true);
Print(planning, "diff + plan (10%)", withThroughput: false);

static void Print(Summary summary, string name, bool withThroughput)
{
    foreach (var report in summary.Reports)
    {
        var dialect = (DialectKind)report.BenchmarkCase.Parameters["Dialect"];
        var bytes = FrontEndBenchmarks.InputBytes(dialect);
        var medianNs = report.ResultStatistics?.Median ?? double.NaN;
        var throughput = withThroughput ? (bytes / 1e6 / (medianNs / 1e9)).ToString("F1") : "-";
        var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0;
        Console.WriteLine($"{name,-22} {dialect,-10} {bytes / 1e6,8:F2}MB {medianNs / 1e6,10:F1}ms {throughput,8} {allocated / 1e6,10:F1}MB");
    }
}
