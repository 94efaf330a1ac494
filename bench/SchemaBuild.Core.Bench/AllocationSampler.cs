using System;
using System.Collections.Generic;
using System.Diagnostics.Tracing;
using System.Linq;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Loading;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Bench;

/// <summary>
/// What the allocations of loading a generated schema are made of, by type: the runtime's allocation-tick event (one
/// sample per ~100 KB allocated) read in-process, so no profiler has to be installed. The answer to "what do the
/// ~100 MB per MB of input consist of" before changing a parser.
/// </summary>
public static class AllocationSampler
{
    /// <param name="scope">load (parse and normalize), plan (the whole compilation) or planner (diff to plan, after loading).</param>
    public static void Run(DialectKind dialect, int megabytes, string scope)
    {
        var text = GeneratedSchema.OfSize(dialect, megabytes);
        var files = new[] { new SourceFile("Schema/generated.sql", text) };
        // Warm the JIT first, so its own allocations stay out of the sample.
        PlanCompiler.Compile(new PlanRequest(dialect, new[] { new SourceFile("Schema/generated.sql", GeneratedSchema.Create(dialect, 200)) }, "Schema"));
        var loaded = scope == "planner" ? SchemaLoader.Load(SqlDialects.For(dialect), files) : null;
        using var listener = new Listener();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        if (loaded is not null)
        {
            Planner.Create(new Schema(dialect), loaded.Schema, EngineProfile.For(dialect));
        }
        else if (scope == "plan")
        {
            PlanCompiler.Compile(new PlanRequest(dialect, files, "Schema"));
        }
        else
        {
            SchemaLoader.Load(SqlDialects.For(dialect), files);
        }

        var total = GC.GetTotalAllocatedBytes(precise: true) - before;
        listener.Dispose();
        var sampled = listener.ByType.Values.Sum();
        Console.WriteLine($"{scope} {text.Length / 1e6:F1} MB: {total / 1e6:F0} MB allocated ({total / (text.Length / 1e6) / 1e6:F0} per MB of input); sampled by type:");
        foreach (var (type, bytes) in listener.ByType.OrderByDescending(p => p.Value).Take(40))
        {
            Console.WriteLine($"{bytes * 100.0 / sampled,6:F1}%  {bytes * (double)total / sampled / 1e6,8:F1} MB  {type}");
        }
    }

    private sealed class Listener : EventListener
    {
        public Dictionary<string, long> ByType { get; } = new();

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword: AllocationTick at Verbose level
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.PayloadNames is null)
            {
                return;
            }

            var type = (string?)e.Payload![e.PayloadNames.IndexOf("TypeName")] ?? "?";
            var amount = Convert.ToInt64(e.Payload[e.PayloadNames.IndexOf("AllocationAmount64")]);
            lock (ByType)
            {
                ByType[type] = ByType.GetValueOrDefault(type) + amount;
            }
        }
    }
}
