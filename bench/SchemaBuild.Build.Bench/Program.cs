// What SchemaBuild costs inside `dotnet build`, measured with real builds of generated consumers:
//   1. an incremental no-op build: SchemaBuild's targets (target < 50 ms), and the wall clock
//      of the same project with and without the package;
//   2. the plan compile inside the build for a 1,000-table schema against a folder baseline,
//      after one schema file is touched (target < 1.5 s).
// Usage: dotnet run -c Release --project bench/SchemaBuild.Build.Bench [-- --runs N]
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using SchemaBuild.Build.Bench;
using SchemaBuild.Build.Tests;
using SchemaBuild.Core.Bench;
using SchemaBuild.Core.Model;

var runs = args.Length == 2 && args[0] == "--runs" ? int.Parse(args[1]) : 7;
Console.WriteLine($"packing SchemaBuild into a temporary feed ...");
using var feed = new PackedFeed();
var repository = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));

// 1. No-op build: the Shop sample's schema, with and without the package.
using var withPackage = new ConsumerProject(feed);
using var without = new ConsumerProject(feed);
foreach (var file in Directory.GetFiles(Path.Combine(repository, "samples", "Shop", "Schema"), "*.sql"))
{
    var text = File.ReadAllText(file);
    withPackage.Write("Schema/" + Path.GetFileName(file), text);
    without.Write("Schema/" + Path.GetFileName(file), text);
}

withPackage.Write("Queries.cs", "namespace Consumer;\npublic static class Queries { public static string Orders => Db.Orders.Table; }\n");
without.Write("Queries.cs", "namespace Consumer;\npublic static class Queries { public static string Orders => \"orders\"; }\n");
without.Write("Consumer.csproj", File.ReadAllText(Path.Combine(without.Root, "Consumer.csproj")).Replace($"<PackageReference Include=\"SchemaBuild\" Version=\"{feed.Version}\" />", string.Empty));
Require(withPackage.Build());
Require(without.Build());

var targetTimes = new List<double>();
var wallWith = new List<double>();
var wallWithout = new List<double>();
for (var i = 0; i < runs; i++)
{
    var (result, seconds) = Timed(() => withPackage.Build("--no-restore", "-clp:PerformanceSummary"));
    Require(result);
    wallWith.Add(seconds * 1000);
    targetTimes.Add(new BuildTimings(result.Output).SchemaBuildTargets());
    wallWithout.Add(Timed(() => Require(without.Build("--no-restore"))).Seconds * 1000);
}

Console.WriteLine();
Console.WriteLine($"no-op build, {runs} runs (medians)");
Console.WriteLine($"  SchemaBuild targets        {Median(targetTimes),8:F0} ms   (target < 50 ms: {(Median(targetTimes) < 50 ? "met" : "MISSED")}, ratio {Median(targetTimes) / 50:F2} of budget)");
Console.WriteLine($"  wall clock with package    {Median(wallWith),8:F0} ms");
Console.WriteLine($"  wall clock without package {Median(wallWithout),8:F0} ms   (ratio {Median(wallWith) / Median(wallWithout):F3}; process start and evaluation dominate, noise is tens of ms)");

// 2. 1,000 tables in ten files; the baseline is the same schema before every tenth table changed
//    (a column added mid-table, SB5001, is made a warning so the build succeeds and all 100 changes are planned).
using var large = new ConsumerProject(feed, extraProperties: "<SchemaBaseline>Baseline</SchemaBaseline><SchemaSeverity>SB5001=warning</SchemaSeverity>");
WriteTables(large, "Baseline", GeneratedSchema.Create(DialectKind.MariaDb, 1000));
WriteTables(large, "Schema", GeneratedSchema.Create(DialectKind.MariaDb, 1000, changedEvery: 10));
Require(large.Build());

var compileTimes = new List<double>();
var targetWithInputs = new List<double>();
var cscTimes = new List<double>();
var breakdown = "(no breakdown logged)";
for (var i = 0; i < runs; i++)
{
    File.SetLastWriteTimeUtc(Path.Combine(large.Root, "Schema", "part05.sql"), DateTime.UtcNow);
    var result = Require(large.Build("--no-restore", "-v:n", "-clp:PerformanceSummary"));
    breakdown = result.Output.Split('\n').FirstOrDefault(l => l.Contains("SchemaBuild: ") && l.Contains("step(s) planned"))?.Trim() ?? breakdown;
    var timings = new BuildTimings(result.Output);
    compileTimes.Add(timings.Of("CompileSchemaPlan"));
    targetWithInputs.Add(timings.SchemaBuildTargets());
    cscTimes.Add(timings.Of("Csc"));
}

Console.WriteLine();
Console.WriteLine($"1,000-table schema against a folder baseline, one file touched, {runs} runs (medians)");
Console.WriteLine($"  CompileSchemaPlan task     {Median(compileTimes),8:F0} ms   (target < 1500 ms: {(Median(compileTimes) < 1500 ? "met" : "MISSED")}, ratio {Median(compileTimes) / 1500:F2} of budget; fastest {compileTimes.Min():F0} ms)");
Console.WriteLine($"  SchemaBuild targets        {Median(targetWithInputs),8:F0} ms");
Console.WriteLine($"  Csc (incl. the generator)  {Median(cscTimes),8:F0} ms");
Console.WriteLine($"  last run: {breakdown}");
return 0;

static void WriteTables(ConsumerProject project, string folder, string schema)
{
    // Ten files of 100 tables: split at table boundaries ("-- table N" starts each one).
    var tables = schema.Split("-- table ", StringSplitOptions.RemoveEmptyEntries);
    for (var part = 0; part < 10; part++)
    {
        project.Write($"{folder}/part{part:D2}.sql", string.Concat(tables.Skip(part * 100).Take(100).Select(t => "-- table " + t)));
    }
}

static DotNet.Result Require(DotNet.Result result) =>
    result.ExitCode == 0 ? result : throw new InvalidOperationException("build failed:\n" + result.Output.Substring(Math.Max(0, result.Output.Length - 4000)));

static (T Value, double Seconds) Timed<T>(Func<T> action)
{
    var clock = Stopwatch.StartNew();
    var value = action();
    return (value, clock.Elapsed.TotalSeconds);
}

static double Median(List<double> values)
{
    var sorted = values.OrderBy(v => v).ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
