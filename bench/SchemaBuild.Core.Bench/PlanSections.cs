using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Diff;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Loading;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Core.Rules;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Bench;

/// <summary>
/// Where the time of one <c>plan</c> goes, stage by stage (load, diff, order, steps, validation, rules, fingerprints,
/// plan.json), for one generated size: the first place to look when the scaling curve bends.
/// </summary>
public static class PlanSections
{
    public static void Run(DialectKind dialect, int megabytes)
    {
        var text = GeneratedSchema.OfSize(dialect, megabytes);
        var engine = EngineProfile.For(dialect);
        // A small run first (plan.json included), so the JIT is warm for the measured one.
        var warm = PlanCompiler.Compile(new PlanRequest(dialect, new[] { new SourceFile("Schema/generated.sql", GeneratedSchema.Create(dialect, 200)) }, "Schema"));
        using (var warmWriter = new StreamWriter(new CountingStream(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 64 * 1024))
        {
            PlanJson.Write(warm.Plan!, warmWriter);
        }

        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: false);
        var paused = GC.GetTotalPauseDuration();
        var collections = new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) };
        var watch = Stopwatch.StartNew();
        // Wall time, CPU time and allocations per stage: on a shared machine the CPU time is the steadier number.
        void Section(string name)
        {
            process.Refresh();
            var allocatedNow = GC.GetTotalAllocatedBytes(precise: false);
            Console.WriteLine($"{name,-14} {watch.Elapsed.TotalSeconds,8:F2}s {(process.TotalProcessorTime - cpu).TotalSeconds,8:F2}s cpu {(allocatedNow - allocated) / 1e6,8:F0}MB allocated {(GC.GetTotalPauseDuration() - paused).TotalSeconds,6:F2}s GC pause, collections {GC.CollectionCount(0) - collections[0]}/{GC.CollectionCount(1) - collections[1]}/{GC.CollectionCount(2) - collections[2]} (gen 0/1/2)");
            paused = GC.GetTotalPauseDuration();
            collections = new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) };
            cpu = process.TotalProcessorTime;
            allocated = allocatedNow;
            watch.Restart();
        }

        var loaded = SchemaLoader.Load(SqlDialects.For(dialect), new[] { new SourceFile("Schema/generated.sql", text) });
        Section("load");
        var source = new Schema(dialect);
        var changes = SchemaDiffer.Diff(source, loaded.Schema);
        Section("diff");
        var ordered = ChangeOrderer.Order(changes);
        Section("order");
        var diagnostics = new List<Diagnostic>();
        var steps = StepPlanners.For(engine).Plan(ordered, source, diagnostics);
        Section("steps");
        PlanValidator.Validate(source, loaded.Schema, steps);
        Section("validate");
        RuleEngine.Evaluate(changes, engine);
        Section("rules");
        ModelFingerprint.Compute(loaded.Schema);
        Section("fingerprint");
        var plan = Planner.Create(source, loaded.Schema, engine);
        Section("whole planner");
        using (var writer = new StreamWriter(new CountingStream(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 64 * 1024))
        {
            PlanJson.Write(plan, writer);
        }

        Section("plan.json");
    }
}
