using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Core.Serialization;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Bench;

/// <summary>
/// The model serializer alone, repeated on one planned model: the target fingerprint and plan.json, each a few rounds
/// after a warm-up, so a change to the serializer is measured without the noise of loading.
/// </summary>
public static class SerializerRounds
{
    public static void Run(DialectKind dialect, int megabytes, int rounds)
    {
        var text = GeneratedSchema.OfSize(dialect, megabytes);
        var plan = PlanCompiler.Compile(new PlanRequest(dialect, new[] { new SourceFile("Schema/generated.sql", text) }, "Schema")).Plan
            ?? throw new InvalidOperationException("the generated schema did not plan");
        using var process = Process.GetCurrentProcess();
        var fingerprints = new double[rounds];
        var documents = new double[rounds];
        long bytes = 0;
        for (var round = -1; round < rounds; round++)
        {
            // Round -1 warms the JIT and is not counted.
            var cpu = CpuRounds.Seconds(process);
            ModelFingerprint.Compute(plan.Target);
            var afterFingerprint = CpuRounds.Seconds(process);
            var counting = new CountingStream();
            using (var writer = new StreamWriter(counting, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 64 * 1024))
            {
                PlanJson.Write(plan, writer);
            }

            if (round >= 0)
            {
                fingerprints[round] = afterFingerprint - cpu;
                documents[round] = CpuRounds.Seconds(process) - afterFingerprint;
                bytes = counting.Length;
            }
        }

        Console.WriteLine($"{dialect} {text.Length / 1e6:F1} MB, plan.json {bytes / 1e6:F1} MB: fingerprint median {CpuRounds.Median(fingerprints):F3}s cpu (rounds {string.Join(" ", fingerprints.Select(s => s.ToString("F3")))}), plan.json median {CpuRounds.Median(documents):F3}s cpu (rounds {string.Join(" ", documents.Select(s => s.ToString("F3")))})");
    }
}
