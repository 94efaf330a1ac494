using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Bench;

/// <summary>
/// The scaling curve of <c>plan</c>: a generated schema of 1 to 50 MB, compiled against no baseline the way the CLI does
/// (load, validate, diff, plan, rules) and written as plan.json. Prints time and MB/s per size; linear growth keeps MB/s
/// flat. A Stopwatch harness, not BenchmarkDotNet: one run of a 50 MB input is the measurement.
/// </summary>
public static class ScalingCurve
{
    /// <param name="changedEvery">0 for an initial plan (no baseline); n to plan against a baseline of the same schema with every n-th table changed.</param>
    public static void Run(int[] megabytes, DialectKind[] dialects, int changedEvery = 0)
    {
        // CPU seconds and allocations sit beside wall time: on a shared machine the wall clock also counts other processes.
        Console.WriteLine($"{"dialect",-10} {"input",9} {"tables",8} {"compile",10} {"plan.json",10} {"total",10} {"MB/s",7} {"cpu",8} {"MB/cpu-s",9} {"allocated",10}");
        foreach (var dialect in dialects)
        {
            // A small run first, so the JIT is warm for the measured ones.
            Measure(dialect, 200, print: false, changedEvery);
            foreach (var mb in megabytes)
            {
                Measure(dialect, GeneratedSchema.TablesFor(dialect, mb), print: true, changedEvery);
            }
        }
    }

    private static void Measure(DialectKind dialect, int tables, bool print, int changedEvery)
    {
        var text = GeneratedSchema.Create(dialect, tables, changedEvery);
        var baseline = changedEvery == 0 ? null : SchemaBuild.Core.Loading.SchemaLoader.Load(SchemaBuild.Core.Dialects.SqlDialects.For(dialect), new[] { new SourceFile("Baseline/generated.sql", GeneratedSchema.Create(dialect, tables)) });
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var watch = Stopwatch.StartNew();
        var request = new PlanRequest(dialect, new[] { new SourceFile("Schema/generated.sql", text) }, "Schema");
        var compilation = baseline is null ? PlanCompiler.Compile(request) : PlanCompiler.Compile(request, baseline);
        var compiled = watch.Elapsed;
        // Streamed and encoded as the build writes plan.json, into a null stream: the disk is not what is measured.
        var json = new CountingStream();
        if (compilation.Plan is { } plan)
        {
            using var writer = new StreamWriter(json, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 64 * 1024, leaveOpen: true);
            PlanJson.Write(plan, writer);
        }

        var total = watch.Elapsed;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        var allocated = (GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore) / 1e6;
        // A changed schema draws rule errors (e.g. a column added before others); those still come with a plan.
        if ((compilation.HasErrors && changedEvery == 0) || json.Length == 0)
        {
            throw new InvalidOperationException("the generated schema did not compile: " + string.Join("; ", compilation.Diagnostics));
        }

        if (print)
        {
            var mb = text.Length / 1e6;
            Console.WriteLine($"{dialect,-10} {mb,7:F1}MB {tables,8} {compiled.TotalSeconds,9:F2}s {(total - compiled).TotalSeconds,9:F2}s {total.TotalSeconds,9:F2}s {mb / total.TotalSeconds,7:F1} {cpu,7:F2}s {mb / cpu,9:F1} {allocated,8:F0}MB");
        }
    }
}
