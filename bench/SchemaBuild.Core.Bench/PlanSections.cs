using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Diff;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Loading;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Core.Rules;
using SchemaBuild.Core.Serialization;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Bench;

/// <summary>
/// Where the time of one <c>plan</c> goes, stage by stage (lex, parse and model build, normalization, references, diff,
/// order, steps, validation, rules, fingerprints, plan.json/.sql/.md), for one generated size: the first place to look
/// when the scaling curve bends. Per stage: wall and CPU time, bytes allocated, GC pauses and collections, and the heap
/// that survives it (a full collection after the stage, outside its measurement, with the bench holding what the tool
/// would still hold at that point).
/// </summary>
public static class PlanSections
{
    // Fully optimized from the start: code at tier 0 keeps every temporary alive to the end of the method, which would
    // count the tokens and the parsed model as surviving long after the tool drops them.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void Run(DialectKind dialect, int megabytes)
    {
        var text = GeneratedSchema.OfSize(dialect, megabytes);
        var engine = EngineProfile.For(dialect);
        var sql = SqlDialects.For(dialect);
        // A small run first (every artifact included), so the JIT is warm for the measured one.
        var warm = PlanCompiler.Compile(new PlanRequest(dialect, new[] { new SourceFile("Schema/generated.sql", GeneratedSchema.Create(dialect, 200)) }, "Schema"));
        WriteJson(warm.Plan!);
        PlanSql.Write(warm.Plan!);
        PlanMarkdown.Write(warm.Plan!);
        sql.Lex(new SourceFile("Schema/generated.sql", GeneratedSchema.Create(dialect, 200)));

        var inputMb = Encoding.UTF8.GetByteCount(text) / 1e6;
        Console.WriteLine($"{dialect} {inputMb:F1} MB of schema; load average {LoadAverage()}");
        Console.WriteLine($"{"stage",-14} {"wall",8} {"cpu",8} {"MB/cpu-s",9} {"allocated",10} {"GC pause",9} {"gen 0/1/2",10} {"heap after",11}");
        using var process = Process.GetCurrentProcess();
        GC.Collect();
        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: false);
        var paused = GC.GetTotalPauseDuration();
        var collections = Collections();
        var watch = Stopwatch.StartNew();
        void Section(string name)
        {
            process.Refresh();
            var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
            var wall = watch.Elapsed.TotalSeconds;
            var allocatedNow = GC.GetTotalAllocatedBytes(precise: false);
            var now = Collections();
            var pause = (GC.GetTotalPauseDuration() - paused).TotalSeconds;
            // The surviving heap: measured after the numbers above, and the collection it takes is not counted.
            var heap = GC.GetTotalMemory(forceFullCollection: true);
            Console.WriteLine($"{name,-14} {wall,7:F2}s {cpuSeconds,7:F2}s {inputMb / cpuSeconds,9:F1} {(allocatedNow - allocated) / 1e6,8:F0}MB {pause,8:F2}s {now[0] - collections[0],3}/{now[1] - collections[1]}/{now[2] - collections[2]} {heap / 1e6,9:F0}MB");
            process.Refresh();
            paused = GC.GetTotalPauseDuration();
            collections = Collections();
            cpu = process.TotalProcessorTime;
            allocated = GC.GetTotalAllocatedBytes(precise: false);
            watch.Restart();
        }

        var files = new[] { new SourceFile("Schema/generated.sql", text) };
        var tokens = sql.Lex(files[0]).Tokens.Count;
        Section("lex");
        var parsed = sql.Parse(files);
        Section("lex+parse");
        var normalized = sql.Normalize(parsed.Schema);
        parsed = null;
        Section("normalize");
        var references = ReferenceValidator.Validate(normalized).Count();
        Section("references");
        var source = new Schema(dialect);
        var changes = SchemaDiffer.Diff(source, normalized);
        Section("diff");
        var ordered = ChangeOrderer.Order(changes);
        Section("order");
        var diagnostics = new List<Diagnostic>();
        var steps = StepPlanners.For(engine).Plan(ordered, source, diagnostics);
        Section("steps");
        PlanValidator.Validate(source, normalized, steps);
        Section("validate");
        RuleEngine.Evaluate(changes, engine);
        Section("rules");
        ModelFingerprint.Compute(normalized);
        Section("fingerprint");
        changes = null;
        ordered = null;
        steps = null;
        GC.Collect();
        Section("(dropped)");
        var plan = Planner.Create(source, normalized, engine);
        Section("whole planner");
        WriteJson(plan);
        Section("plan.json");
        var planSql = PlanSql.Write(plan).Length;
        Section("plan.sql");
        var planMd = PlanMarkdown.Write(plan).Length;
        Section("plan.md");
        GC.KeepAlive(text);
        Console.WriteLine($"{tokens} tokens, {references} reference diagnostics, plan.sql {planSql / 1e6:F0}M chars, plan.md {planMd / 1e6:F0}M chars");
    }

    private static void WriteJson(Plan plan)
    {
        using var writer = new StreamWriter(new CountingStream(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 64 * 1024);
        PlanJson.Write(plan, writer);
    }

    private static int[] Collections() => new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) };

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
}
