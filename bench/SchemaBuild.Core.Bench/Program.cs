using System;
using System.Linq;
using BenchmarkDotNet.Running;
using SchemaBuild.Core.Bench;
using SchemaBuild.Core.Model;

// Runs the front-end benchmarks and prints throughput in MB/s next to BenchmarkDotNet's table.
//   dotnet run -c Release --project bench/SchemaBuild.Core.Bench            full run
//   dotnet run -c Release --project bench/SchemaBuild.Core.Bench -- --quick  short run for a smoke check
var quick = args.Contains("--quick");
var config = quick
    ? BenchmarkDotNet.Configs.DefaultConfig.Instance.AddJob(BenchmarkDotNet.Jobs.Job.ShortRun)
    : BenchmarkDotNet.Configs.DefaultConfig.Instance;
var summary = BenchmarkRunner.Run<FrontEndBenchmarks>(config, args.Where(a => a != "--quick").ToArray());

Console.WriteLine();
Console.WriteLine($"{"dialect",-10} {"input",10} {"median",12} {"MB/s",8} {"allocated",12}");
foreach (var report in summary.Reports)
{
    var dialect = (DialectKind)report.BenchmarkCase.Parameters["Dialect"];
    var bytes = FrontEndBenchmarks.InputBytes(dialect);
    var medianNs = report.ResultStatistics?.Median ?? double.NaN;
    var megabytesPerSecond = bytes / 1e6 / (medianNs / 1e9);
    var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0;
    Console.WriteLine($"{dialect,-10} {bytes / 1e6,8:F2}MB {medianNs / 1e6,10:F1}ms {megabytesPerSecond,8:F1} {allocated / 1e6,10:F1}MB");
}
