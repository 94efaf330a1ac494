// Peak memory of reading a large plan.json (issue 10 §5: a 200 MB plan must not need 3.7 GB).
//
//   dotnet run -c Release -- generate FILE TABLES   writes a plan creating TABLES tables (~3.4 KB of plan.json each), streamed as the build does
//   dotnet run -c Release -- generate-whole FILE TABLES   the same, written the earlier way: the whole document as one string
//   dotnet run -c Release -- stream FILE            reads it as deploy does (PlanFile.Read: streaming, part by part)
//   dotnet run -c Release -- whole FILE             reads it the earlier way: the whole file as one string, then one JSON tree
//
// Each read runs in its own process and prints the file size, the time, and the process's peak
// working set, so the two numbers compare like for like.
using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: generate FILE TABLES | generate-whole FILE TABLES | stream FILE | whole FILE");
    return 2;
}

var file = args[1];
switch (args[0])
{
    case "generate":
    case "generate-whole":
        Generate(file, int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), whole: args[0] == "generate-whole");
        return 0;
    case "stream":
    case "whole":
        var watch = Stopwatch.StartNew();
        var plan = args[0] == "stream" ? SchemaBuild.Runtime.Deployment.PlanFile.Read(file) : PlanReader.Read(File.ReadAllText(file));
        watch.Stop();
        using (var process = Process.GetCurrentProcess())
        {
            Console.WriteLine($"{args[0]}: {new FileInfo(file).Length / 1048576.0:0.0} MB plan.json, {plan.Steps.Count} steps, {plan.Target.Tables.Count} tables: "
                + $"{watch.Elapsed.TotalSeconds:0.0} s, peak working set {process.PeakWorkingSet64 / 1048576.0:0} MB, managed heap after {GC.GetTotalMemory(true) / 1048576.0:0} MB");
        }

        GC.KeepAlive(plan);
        return 0;
    default:
        Console.Error.WriteLine("unknown mode " + args[0]);
        return 2;
}

static void Generate(string file, int tables, bool whole)
{
    var dialect = SqlDialects.For(DialectKind.MariaDb);
    var template = dialect.Parse(new[] { new SchemaBuild.Core.Syntax.SourceFile("Schema/t.sql",
        "CREATE TABLE t (\n  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,\n  customer_id BIGINT NOT NULL,\n  email VARCHAR(200) NOT NULL,\n"
        + "  status ENUM('new','paid','shipped') NOT NULL DEFAULT 'new',\n  note TEXT NULL COMMENT 'free text',\n  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
        + "  KEY ix_t_customer (customer_id),\n  UNIQUE KEY ux_t_email (email)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n") }).Schema;
    var table = dialect.Normalize(template).Tables.Single();
    var all = Enumerable.Range(0, tables).Select(i => table with { Name = new QualifiedName(null, "t" + i) }).ToEquatableList();
    var target = template with { Tables = all };
    var source = new Schema(DialectKind.MariaDb);
    var steps = all.Select((t, i) => new PlanStep(i + 1, t.Name.Name, "create-table", Strategy.Direct, EquatableList<string>.Of(new[] { dialect.Writer.WriteTable(t) })) { Table = t.Name })
        .ToEquatableList();
    var plan = new Plan(EngineProfile.For(DialectKind.MariaDb), source, target, steps, EquatableList<SchemaBuild.Core.Diagnostics.Diagnostic>.Empty)
    {
        SourceFingerprint = "sha256:source",
        TargetFingerprint = "sha256:target",
    };
    var watch = Stopwatch.StartNew();
    if (whole)
    {
        File.WriteAllText(file, PlanJson.Write(plan));
    }
    else
    {
        using var writer = new StreamWriter(file, append: false, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        // Streamed as the build writes it: the document is never one string in memory.
        PlanJson.Write(plan, writer);
    }

    watch.Stop();
    using var process = Process.GetCurrentProcess();
    Console.WriteLine($"wrote {file}: {new FileInfo(file).Length / 1048576.0:0.0} MB, {tables} tables: writing {watch.Elapsed.TotalSeconds:0.0} s, "
        + $"peak working set {process.PeakWorkingSet64 / 1048576.0:0} MB (the plan's models included)");
}
