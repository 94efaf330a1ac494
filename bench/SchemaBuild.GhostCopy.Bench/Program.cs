using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MySqlConnector;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Loading;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Core.Syntax;
using SchemaBuild.Runtime.Connections;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Engines;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Tests.GhostCopy.Load;

namespace SchemaBuild.GhostCopy.Bench;

/// <summary>
/// The ghost-copy benchmark of issue 12, on the MariaDB of eng/db.sh: a table of 1M rows, two changes
/// that copy the table (ADD COLUMN, forced to a copy by planning for MariaDB 10.2, and INT → BIGINT),
/// each idle and under the tests' mixed write load (default 480 writes/s from 8 connections), with
/// SchemaBuild's ghost copy, native <c>ALTER … ALGORITHM=COPY</c> and <c>pt-online-schema-change</c>.
/// Prints wall time, copy phase, writers' p50/p99 and longest write during the migration and during its
/// copy phase alone, and the ratios the issue sets targets for (medians of <c>--runs</c> runs; one by default).
/// Usage: <c>eval "$(eng/db.sh env)"; dotnet run -c Release --project bench/SchemaBuild.GhostCopy.Bench [-- --rows N --rate W --runs R --tools native,pt-osc,schemabuild,bare-sql --cases add-column,int-bigint --conditions idle,load --chunk-time 0.5 --max-chunk-rows 100000 --max-chunk-rows-under-writes 20000 --indexes --verbose]</c>; <c>--indexes</c> gives the table two secondary indexes.
/// </summary>
public static class Program
{
    private const string Table = "CREATE TABLE items (id INT NOT NULL PRIMARY KEY, qty INT NOT NULL, name VARCHAR(40) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n";

    private static readonly Case[] Cases =
    {
        new("add-column", Table.Replace("NOT NULL) ENGINE", "NOT NULL, note VARCHAR(20) NULL) ENGINE", StringComparison.Ordinal), "ADD COLUMN note VARCHAR(20) NULL", "10.2"),
        new("int-bigint", Table.Replace("qty INT", "qty BIGINT", StringComparison.Ordinal), "MODIFY COLUMN qty BIGINT NOT NULL", null),
    };

    public static async Task<int> Main(string[] args)
    {
        var url = Environment.GetEnvironmentVariable("SCHEMABUILD_TEST_MARIADB");
        if (string.IsNullOrEmpty(url))
        {
            Console.Error.WriteLine("SCHEMABUILD_TEST_MARIADB is not set: run `eng/db.sh start` and `eval \"$(eng/db.sh env)\"` first.");
            return 2;
        }

        var options = Options.Parse(args);
        var server = ConnectionUrl.Parse(url);
        var bench = new Bench(server, url, options);
        Console.WriteLine($"ghost-copy benchmark: {options.Rows:N0} rows{(options.Indexes ? " (2 secondary indexes)" : string.Empty)}, load {options.Rate} writes/s from {options.Workers} connections, {options.Runs} run(s) each, MariaDB at {server.Host}:{server.Port}");
        var results = new List<Result>();
        Load? baseline = null;
        if (options.Conditions.Contains("load"))
        {
            baseline = await bench.BaselineAsync();
            Console.WriteLine($"load without migration ({options.BaselineSeconds} s): p50 {baseline.P50:0.0} ms, p99 {baseline.P99:0.0} ms, longest {baseline.Longest:0} ms, {baseline.Rate:0} writes/s");
        }

        foreach (var @case in Cases.Where(c => options.Cases.Contains(c.Name)))
        {
            foreach (var condition in options.Conditions)
            {
                foreach (var tool in options.Tools)
                {
                    var runs = new List<Result>();
                    for (var run = 0; run < options.Runs; run++)
                    {
                        var result = await bench.RunAsync(@case, tool, condition == "load");
                        Console.WriteLine($"  {@case.Name,-11} {condition,-5} {tool,-12} {result.Describe()}");
                        runs.Add(result);
                    }

                    results.Add(Result.Median(runs));
                }
            }
        }

        Report(results, baseline, options);
        return 0;
    }

    private static void Report(List<Result> results, Load? baseline, Options options)
    {
        Console.WriteLine();
        Console.WriteLine($"{"case",-11} {"cond",-5} {"tool",-12} {"wall s",7} {"copy s",7} {"p50 ms",7} {"p99 ms",8} {"longest ms",10} {"failed",6} {"copy p99",8} {"copy longest",12}");
        foreach (var r in results)
        {
            Console.WriteLine($"{r.Case,-11} {r.Condition,-5} {r.Tool,-12} {r.Wall.TotalSeconds,7:0.0} {r.Copy.TotalSeconds,7:0.0} {r.Load?.P50 ?? 0,7:0.0} {r.Load?.P99 ?? 0,8:0.0} {r.Load?.Longest ?? 0,10:0} {r.Load?.Failures ?? 0,6} {r.CopyLoad?.P99 ?? 0,8:0.0} {r.CopyLoad?.Longest ?? 0,12:0}");
        }

        Console.WriteLine();
        Console.WriteLine("ratios (targets from issue 12 in brackets):");
        foreach (var group in results.GroupBy(r => (r.Case, r.Condition)))
        {
            var sb = group.FirstOrDefault(r => r.Tool == "schemabuild");
            var native = group.FirstOrDefault(r => r.Tool == "native");
            var pt = group.FirstOrDefault(r => r.Tool == "pt-osc");
            var parts = new List<string>();
            if (sb is not null && native is not null)
            {
                parts.Add($"SchemaBuild/native wall {sb.Wall / native.Wall:0.00}x" + (group.Key.Condition == "idle" ? " [<= 1.5]" : string.Empty));
            }

            if (pt is not null && native is not null)
            {
                parts.Add($"pt-osc/native wall {pt.Wall / native.Wall:0.00}x");
            }

            if (sb is not null && pt is not null)
            {
                parts.Add($"SchemaBuild/pt-osc wall {sb.Wall / pt.Wall:0.00}x" + (group.Key.Condition == "load" ? " [< 1]" : string.Empty));
            }

            if (group.Key.Condition == "load" && baseline is not null)
            {
                foreach (var r in group.Where(r => r.Load is not null))
                {
                    parts.Add($"{r.Tool} p99/no-migration p99 {r.Load!.P99 / Math.Max(0.1, baseline.P99):0.00}x, during the copy {(r.CopyLoad?.P99 ?? 0) / Math.Max(0.1, baseline.P99):0.00}x{(r.Tool == "schemabuild" ? " [<= 1.5]" : string.Empty)}, longest write {r.Load.Longest:0} ms{(r.Tool == "schemabuild" ? $" [cutover <= 500], cutover lock {r.CutoverLock.TotalMilliseconds:0} ms" : string.Empty)}");
                }
            }

            Console.WriteLine($"  {group.Key.Case} {group.Key.Condition}: {string.Join("; ", parts)}");
        }
    }

    private sealed record Case(string Name, string Desired, string Clause, string? PlanForVersion);

    /// <param name="Copy">SchemaBuild's copy options (<c>--chunk-time SECONDS</c>, <c>--max-chunk-rows N</c>, <c>--max-chunk-rows-under-writes N</c>; the defaults otherwise).</param>
    private sealed record Options(int Rows, double Rate, int Workers, int Runs, int BaselineSeconds, string[] Tools, string[] Cases, string[] Conditions, bool Verbose, GhostCopyOptions Copy, bool Indexes)
    {
        /// <summary>A table definition, with two secondary indexes when <c>--indexes</c> is given (inserted out of their order by the copy).</summary>
        public string Shape(string table) => Indexes ? table.Replace(") ENGINE", ", KEY by_qty (qty), KEY by_name (name)) ENGINE", StringComparison.Ordinal) : table;

        public static Options Parse(string[] args)
        {
            string Get(string name, string fallback)
            {
                var i = Array.IndexOf(args, "--" + name);
                return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
            }

            return new Options(
                int.Parse(Get("rows", "1000000"), CultureInfo.InvariantCulture), double.Parse(Get("rate", "480"), CultureInfo.InvariantCulture),
                int.Parse(Get("workers", "8"), CultureInfo.InvariantCulture), int.Parse(Get("runs", "1"), CultureInfo.InvariantCulture),
                int.Parse(Get("baseline-seconds", "20"), CultureInfo.InvariantCulture),
                Get("tools", "native,pt-osc,schemabuild").Split(','), Get("cases", "add-column,int-bigint").Split(','), Get("conditions", "idle,load").Split(','), args.Contains("--verbose"),
                GhostCopyOptions.Default with
                {
                    DropOld = true,
                    ChunkTime = TimeSpan.FromSeconds(double.Parse(Get("chunk-time", GhostCopyOptions.Default.ChunkTime.TotalSeconds.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture)),
                    MaxChunkRows = int.Parse(Get("max-chunk-rows", GhostCopyOptions.Default.MaxChunkRows.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
                    MaxChunkRowsUnderWrites = int.Parse(Get("max-chunk-rows-under-writes", GhostCopyOptions.Default.MaxChunkRowsUnderWrites.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
                },
                args.Contains("--indexes"));
        }
    }

    /// <summary>The writers' latencies while the migration ran.</summary>
    private sealed record Load(double P50, double P99, double Longest, double Rate, int Failures);

    /// <param name="CopyLoad">The writers' latencies while the copy phase ran (SchemaBuild: between the prepare and the catch-up).</param>
    private sealed record Result(string Case, string Condition, string Tool, TimeSpan Wall, TimeSpan Copy, Load? Load, TimeSpan CutoverLock, string Detail, Load? CopyLoad = null)
    {
        public string Describe() =>
            $"wall {Wall.TotalSeconds:0.0} s, copy {Copy.TotalSeconds:0.0} s"
            + (Load is null ? string.Empty : $", writes p50 {Load.P50:0.0} ms p99 {Load.P99:0.0} ms longest {Load.Longest:0} ms at {Load.Rate:0}/s, {Load.Failures} failed")
            + (CopyLoad is null ? string.Empty : $", during the copy p99 {CopyLoad.P99:0.0} ms longest {CopyLoad.Longest:0} ms")
            + (Detail.Length > 0 ? "; " + Detail : string.Empty);

        public static Result Median(List<Result> runs)
        {
            T Mid<T>(Func<Result, T> key) => runs.Select(key).OrderBy(x => x).ElementAt(runs.Count / 2);
            var first = runs[0];
            var load = first.Load is null ? null : new Load(Mid(r => r.Load!.P50), Mid(r => r.Load!.P99), Mid(r => r.Load!.Longest), Mid(r => r.Load!.Rate), runs.Max(r => r.Load!.Failures));
            var copyLoad = first.CopyLoad is null ? null : new Load(Mid(r => r.CopyLoad!.P50), Mid(r => r.CopyLoad!.P99), Mid(r => r.CopyLoad!.Longest), Mid(r => r.CopyLoad!.Rate), runs.Max(r => r.CopyLoad!.Failures));
            return first with { Wall = Mid(r => r.Wall), Copy = Mid(r => r.Copy), Load = load, CopyLoad = copyLoad, CutoverLock = Mid(r => r.CutoverLock) };
        }
    }

    private sealed class Bench
    {
        private readonly ConnectionUrl server;
        private readonly Uri uri;
        private readonly Options options;
        private int counter;

        public Bench(ConnectionUrl server, string url, Options options)
        {
            this.server = server;
            uri = new Uri(url);
            this.options = options;
        }

        private string User => Uri.UnescapeDataString(uri.UserInfo.Split(':')[0]);

        private string Password => uri.UserInfo.Contains(':', StringComparison.Ordinal) ? Uri.UnescapeDataString(uri.UserInfo[(uri.UserInfo.IndexOf(':', StringComparison.Ordinal) + 1)..]) : string.Empty;

        public async Task<Load> BaselineAsync()
        {
            var database = await CreateAsync();
            try
            {
                var load = new WriteLoad(Target(database), options.Workers, options.Rate);
                await load.LoadModelAsync(CancellationToken.None);
                using var stop = new CancellationTokenSource();
                var writing = load.RunAsync(stop.Token);
                await Task.Delay(2000);
                var from = load.NowMs;
                await Task.Delay(TimeSpan.FromSeconds(options.BaselineSeconds));
                var to = load.NowMs;
                stop.Cancel();
                await writing;
                var window = load.Window(from, to);
                return new Load(window.P50, window.P99, window.Longest, window.Writes / ((to - from) / 1000), load.Failures.Count);
            }
            finally
            {
                await DropAsync(database);
            }
        }

        public async Task<Result> RunAsync(Case @case, string tool, bool underLoad)
        {
            var database = await CreateAsync();
            try
            {
                WriteLoad? load = null;
                Task? writing = null;
                using var stop = new CancellationTokenSource();
                if (underLoad)
                {
                    load = new WriteLoad(Target(database), options.Workers, options.Rate);
                    await load.LoadModelAsync(CancellationToken.None);
                    writing = load.RunAsync(stop.Token);
                    await Task.Delay(2000);
                }

                var from = load?.NowMs ?? 0;
                var watch = Stopwatch.StartNew();
                var (copy, cutover, detail, copyStart) = tool switch
                {
                    "native" => await NativeAsync(database, @case),
                    "pt-osc" => await PerconaAsync(database, @case),
                    "schemabuild" => await SchemaBuildAsync(database, @case),
                    "bare-sql" => await BareSqlAsync(database, @case),
                    _ => throw new ArgumentException($"unknown tool {tool}; use native, pt-osc or schemabuild"),
                };
                var wall = watch.Elapsed;
                Load? measured = null;
                Load? copying = null;
                if (load is not null)
                {
                    var to = load.NowMs;
                    await Task.Delay(1000);
                    stop.Cancel();
                    await writing!;
                    Load Measure(double start, double end)
                    {
                        var window = load.Window(start, end);
                        return new Load(window.P50, window.P99, window.Longest, window.Writes / Math.Max(0.001, (end - start) / 1000), load.Failures.Count);
                    }

                    measured = Measure(from, to);
                    var copyFrom = from + copyStart.TotalMilliseconds;
                    copying = Measure(copyFrom, copyFrom + copy.TotalMilliseconds);
                    if (tool != "native")
                    {
                        var differences = await load.CompareAsync(CancellationToken.None);
                        detail += differences.Count == 0 ? " table equals the writers' model" : $" TABLE DIFFERS from the writers' model: {string.Join("; ", differences.Take(3))}";
                    }
                }

                return new Result(@case.Name, underLoad ? "load" : "idle", tool, wall, copy, measured, cutover, detail.Trim(), copying);
            }
            finally
            {
                await DropAsync(database);
            }
        }

        /// <summary>Each tool returns its copy phase, the time writers were blocked at the cutover, details, and when its copy phase started (from the tool's start).</summary>
        private async Task<(TimeSpan Copy, TimeSpan Cutover, string Detail, TimeSpan CopyStart)> NativeAsync(string database, Case @case)
        {
            await using var connection = await OpenAsync(database);
            await using var command = connection.CreateCommand();
            command.CommandText = $"ALTER TABLE items {@case.Clause}, ALGORITHM=COPY";
            command.CommandTimeout = 3600;
            var watch = Stopwatch.StartNew();
            await command.ExecuteNonQueryAsync();
            return (watch.Elapsed, TimeSpan.Zero, string.Empty, TimeSpan.Zero);
        }

        /// <summary>
        /// The p99 floor: only the copy's own statements (<c>INSERT IGNORE … SELECT</c> along the key, chunks of
        /// <c>--max-chunk-rows-under-writes</c> rows, READ COMMITTED) from the <c>mariadb</c> client into a shadow of the target
        /// definition: no SchemaBuild process, no binlog reader, no applier, no checksum, no cutover. What any copy costs the writers.
        /// </summary>
        private async Task<(TimeSpan Copy, TimeSpan Cutover, string Detail, TimeSpan CopyStart)> BareSqlAsync(string database, Case @case)
        {
            await using (var connection = await OpenAsync(database))
            {
                foreach (var sql in new[] { "CREATE TABLE items__bare LIKE items", $"ALTER TABLE items__bare {@case.Clause}" })
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = sql;
                    await command.ExecuteNonQueryAsync();
                }
            }

            var chunk = options.Copy.MaxChunkRowsUnderWrites;
            var script = new System.Text.StringBuilder("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED;\n");
            for (long from = 0; from < options.Rows; from += chunk)
            {
                script.Append(CultureInfo.InvariantCulture, $"INSERT IGNORE INTO items__bare (id, qty, name) SELECT id, qty, name FROM items WHERE id > {from} AND id <= {from + chunk};\n");
            }

            var defaults = await DefaultsFileAsync();
            try
            {
                var start = new ProcessStartInfo("mariadb") { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
                foreach (var arg in new[] { $"--defaults-extra-file={defaults}", "-h", server.Host, "-P", server.Port.ToString(CultureInfo.InvariantCulture), "-u", User, database })
                {
                    start.ArgumentList.Add(arg);
                }

                var watch = Stopwatch.StartNew();
                using var process = Process.Start(start) ?? throw new InvalidOperationException("the mariadb client did not start");
                var stderr = process.StandardError.ReadToEndAsync();
                await process.StandardInput.WriteAsync(script.ToString());
                process.StandardInput.Close();
                await process.WaitForExitAsync();
                var copy = watch.Elapsed;
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException($"the mariadb client failed (exit {process.ExitCode}): {await stderr}");
                }

                return (copy, TimeSpan.Zero, $"{(options.Rows + chunk - 1) / chunk} statements of {chunk} rows", TimeSpan.Zero);
            }
            finally
            {
                File.Delete(defaults);
            }
        }

        /// <summary>A client defaults file holding the password (readable by this user only): passwords never go on a command line.</summary>
        private async Task<string> DefaultsFileAsync()
        {
            var defaults = Path.Combine(Path.GetTempPath(), $"sb-ghost-bench-{Environment.ProcessId}.cnf");
            await File.WriteAllTextAsync(defaults, $"[client]\npassword={Password}\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(defaults, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            return defaults;
        }

        private async Task<(TimeSpan Copy, TimeSpan Cutover, string Detail, TimeSpan CopyStart)> PerconaAsync(string database, Case @case)
        {
            // The password goes through a defaults file (F= in the DSN), never the command line.
            var defaults = await DefaultsFileAsync();
            try
            {
                var start = new ProcessStartInfo("pt-online-schema-change")
                {
                    RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                };
                foreach (var arg in new[]
                         {
                             "--alter", @case.Clause, "--execute", "--recursion-method", "none", "--chunk-time", "0.5",
                             "--max-load", "Threads_running=100", "--critical-load", "Threads_running=400", "--no-check-unique-key-change",
                             $"F={defaults},h={server.Host},P={server.Port},u={User},D={database},t=items",
                         })
                {
                    start.ArgumentList.Add(arg);
                }

                var watch = Stopwatch.StartNew();
                using var process = Process.Start(start) ?? throw new InvalidOperationException("pt-online-schema-change did not start (percona-toolkit is installed by eng/setup.sh)");
                TimeSpan? copying = null;
                TimeSpan? copied = null;
                var lines = new List<string>();
                var stderr = process.StandardError.ReadToEndAsync();
                while (await process.StandardOutput.ReadLineAsync() is { } line)
                {
                    lines.Add(line);
                    if (line.Contains(" Copying ", StringComparison.Ordinal))
                    {
                        copying = watch.Elapsed;
                    }
                    else if (line.Contains(" Copied rows OK", StringComparison.Ordinal))
                    {
                        copied = watch.Elapsed;
                    }
                }

                await process.WaitForExitAsync();
                if (process.ExitCode != 0 || copying is null || copied is null)
                {
                    throw new InvalidOperationException($"pt-online-schema-change failed (exit {process.ExitCode}):\n{string.Join("\n", lines.TakeLast(10))}\n{await stderr}");
                }

                return (copied.Value - copying.Value, TimeSpan.Zero, string.Empty, copying.Value);
            }
            finally
            {
                File.Delete(defaults);
            }
        }

        private async Task<(TimeSpan Copy, TimeSpan Cutover, string Detail, TimeSpan CopyStart)> SchemaBuildAsync(string database, Case @case)
        {
            var dialect = SqlDialects.For(DialectKind.MariaDb);
            Schema Model(string text) => SchemaLoader.Load(dialect, new[] { new SourceFile("bench.sql", text) }).Schema;
            var plan = Planner.Create(Model(options.Shape(Table)), Model(options.Shape(@case.Desired)), EngineProfile.For(DialectKind.MariaDb, @case.PlanForVersion));
            if (plan.Steps.Count != 1 || plan.Steps[0].Strategy != Strategy.GhostCopy)
            {
                throw new InvalidOperationException($"the plan of {@case.Name} is not one ghost copy: {string.Join("; ", plan.Steps.Select(s => s.Strategy + " " + string.Join(" ", s.Sql)))}");
            }

            var notes = new List<string>();
            var clock = Stopwatch.StartNew();
            await using var session = await DatabaseSessions.OpenAsync(server.WithDatabase(database), TimeSpan.FromMinutes(30));
            var result = await new Deployer().DeployAsync(plan, session, DeployOptions.Default with { Progress = new Notes(notes, clock), GhostCopy = options.Copy }, CancellationToken.None);
            if (result.Outcome != DeploymentOutcome.Deployed)
            {
                throw new InvalidOperationException($"deploy ended {result.Outcome}");
            }

            TimeSpan Phase(string name) => notes.Select(n => Regex.Match(n, $@": {name} took ([0-9.]+)s")).Where(m => m.Success)
                .Select(m => TimeSpan.FromSeconds(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))).FirstOrDefault();
            var phases = string.Join(", ", new[] { "prepare", "copy", "catch-up", "checksum", "cutover" }.Select(p => $"{p} {Phase(p).TotalSeconds:0.0}s"));
            var log = options.Verbose ? "\n      " + string.Join("\n      ", notes) : string.Empty;
            // The copy phase starts when the prepare phase's note is written.
            var copyStart = notes.Select(n => Regex.Match(n, @"^\[([0-9.]+)s\] .*: prepare took")).Where(m => m.Success)
                .Select(m => TimeSpan.FromSeconds(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))).FirstOrDefault();
            return (Phase("copy"), result.CutoverLockHeld, $"{phases}, deploy {clock.Elapsed.TotalSeconds:0.0}s;{log}", copyStart);
        }

        private LoadTarget Target(string database) => new(async ct => (DbConnection)await OpenAsync(database, ct), "`items`");

        private async Task<MySqlConnection> OpenAsync(string? database, CancellationToken cancellationToken = default)
        {
            var builder = new MySqlConnectionStringBuilder
            {
                Server = server.Host, Port = (uint)server.Port, UserID = User, Password = Password, Database = database ?? string.Empty,
                SslMode = MySqlSslMode.None, AllowPublicKeyRetrieval = true, DefaultCommandTimeout = 3600, Pooling = false,
            };
            var connection = new MySqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            return connection;
        }

        private async Task<string> CreateAsync()
        {
            var name = $"sb_ghostbench_{Environment.ProcessId}_{++counter}";
            await using var connection = await OpenAsync(null);
            foreach (var sql in new[]
                     {
                         $"DROP DATABASE IF EXISTS `{name}`", $"CREATE DATABASE `{name}`", $"USE `{name}`", options.Shape(Table),
                         $"INSERT INTO items (id, qty, name) SELECT seq, seq % 1000, CONCAT('s', seq) FROM seq_1_to_{options.Rows}",
                     })
            {
                await using var command = connection.CreateCommand();
                command.CommandText = sql;
                await command.ExecuteNonQueryAsync();
            }

            return name;
        }

        private async Task DropAsync(string database)
        {
            await using var connection = await OpenAsync(null);
            await using var command = connection.CreateCommand();
            command.CommandText = $"DROP DATABASE IF EXISTS `{database}`";
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Deploy's progress notes (the ghost copy reports each phase's duration in them).</summary>
    private sealed class Notes : IDeploymentProgress
    {
        private readonly List<string> lines;
        private readonly Stopwatch clock;

        public Notes(List<string> lines, Stopwatch clock)
        {
            this.lines = lines;
            this.clock = clock;
        }

        public void Started(string deploymentId, Plan plan, int firstStep)
        {
        }

        public void StepStarted(PlanStep step) => Add($"step {step.Id} started");

        public void StepRetrying(PlanStep step, int attempt, TimeSpan backoff, string reason) => Add($"retry {attempt}: {reason}");

        public void StepFinished(PlanStep step, string status, TimeSpan duration)
        {
        }

        public void Note(string message) => Add(message);

        private void Add(string line)
        {
            lock (lines)
            {
                lines.Add($"[{clock.Elapsed.TotalSeconds:0.00}s] {line}");
            }
        }
    }
}
