using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Loading;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Core.Syntax;
using SchemaBuild.Runtime.Connections;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Engines;
using SchemaBuild.Runtime.Online;

namespace SchemaBuild.PgGhost.Bench;

/// <summary>
/// <c>integer → bigint</c> on a table of --rows rows (default 1M), idle and under a mixed write
/// load: SchemaBuild's ghost copy against native <c>ALTER TABLE … TYPE bigint</c> and against
/// pg_repack (a trigger-based rebuild of the same table, as the reference for online rebuilds).
/// One run per method and mode; prints wall time, the writers' p50/p99 while it ran and the
/// longest single write (the stall), then the ratios against native ALTER.
/// Usage: dotnet run -c Release --project bench/SchemaBuild.PgGhost.Bench -- [--rows N] [--writers N] [--rate N] [--only native,repack,schemabuild] [--modes idle,load] [--chunk-cap N (0: none)]
/// The server is SCHEMABUILD_TEST_POSTGRES (eng/db.sh env), or --url.
/// </summary>
public static class Program
{
    private const string Baseline = "CREATE TABLE items (\n  id bigint PRIMARY KEY,\n  n integer NOT NULL,\n  note text\n);\n";

    public static async Task<int> Main(string[] args)
    {
        var options = Options.Parse(args);
        var results = new List<Result>();
        foreach (var mode in options.Modes)
        {
            foreach (var method in options.Methods)
            {
                var result = await RunAsync(options, method, mode == "load");
                results.Add(result);
                Console.WriteLine(result);
            }
        }

        Console.WriteLine();
        Console.WriteLine($"integer -> bigint on {options.Rows} rows; load: {options.Writers} writers, {options.Rate} writes/s (40% update, 40% insert, 20% delete)");
        Console.WriteLine($"{"mode",-5} {"method",-12} {"wall s",8} {"x native",9} {"p50 ms",8} {"p99 ms",8} {"stall ms",9} {"writes",7} {"failed",7}");
        foreach (var r in results)
        {
            var native = results.FirstOrDefault(n => n.Mode == r.Mode && n.Method == "native");
            var ratio = native is null ? "-" : (r.Wall.TotalSeconds / native.Wall.TotalSeconds).ToString("0.00", CultureInfo.InvariantCulture);
            Console.WriteLine($"{r.Mode,-5} {r.Method,-12} {r.Wall.TotalSeconds,8:0.00} {ratio,9} {r.P50,8:0.0} {r.P99,8:0.0} {r.Stall,9:0} {r.Writes,7} {r.Failed,7}");
        }

        return results.All(r => r.Failed == 0 && r.Correct) ? 0 : 1;
    }

    private static async Task<Result> RunAsync(Options options, string method, bool underLoad)
    {
        var database = $"sb_pgghost_bench_{method}_{Environment.ProcessId}";
        await using var admin = new NpgsqlConnection(options.ConnectionString(options.Url.Database ?? "postgres"));
        await admin.OpenAsync();
        await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        await ExecuteAsync(admin, $"CREATE DATABASE {database}");
        try
        {
            var connectionString = options.ConnectionString(database);
            await using (var seed = new NpgsqlConnection(connectionString))
            {
                await seed.OpenAsync();
                await ExecuteAsync(seed, Baseline + $"INSERT INTO items SELECT g, g % 100000, 'row ' || g FROM generate_series(1, {options.Rows}) g;");
                await ExecuteAsync(seed, "VACUUM ANALYZE items");
                if (method == "repack")
                {
                    await ExecuteAsync(seed, "CREATE EXTENSION pg_repack");
                }
            }

            var load = new Load(connectionString, options.Writers, underLoad ? options.Rate : 0, options.Rows);
            using var stop = new CancellationTokenSource();
            var writing = load.RunAsync(stop.Token);
            await Task.Delay(underLoad ? 1000 : 0);
            var watch = Stopwatch.StartNew();
            load.Mark();
            switch (method)
            {
                case "native":
                    await using (var connection = new NpgsqlConnection(connectionString))
                    {
                        await connection.OpenAsync();
                        await ExecuteAsync(connection, "ALTER TABLE items ALTER COLUMN n TYPE bigint");
                    }

                    break;
                case "repack":
                    await RepackAsync(options, database);
                    break;
                default:
                    await DeployAsync(options.Url.WithDatabase(database), options.ChunkCap);
                    break;
            }

            var wall = watch.Elapsed;
            load.Mark();
            await Task.Delay(underLoad ? 500 : 0);
            stop.Cancel();
            await writing;
            var during = load.During();
            var correct = await CheckAsync(connectionString, method);
            return new Result(underLoad ? "load" : "idle", method, wall, Percentile(during, 0.5), Percentile(during, 0.99), during.DefaultIfEmpty(0).Max(), during.Count, load.Failures, correct);
        }
        finally
        {
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    /// <param name="chunkCap">Rows per chunk while writes are seen (<c>MaxChunkRowsUnderWrites</c>; 0: no cap); null: the engine's default.</param>
    private static async Task DeployAsync(ConnectionUrl url, int? chunkCap)
    {
        var dialect = SqlDialects.For(DialectKind.Postgres);
        Schema Model(string text) => SchemaLoader.Load(dialect, new[] { new SourceFile("bench.sql", text) }).Schema;
        var plan = Planner.Create(Model(Baseline), Model(Baseline.Replace("n integer", "n bigint", StringComparison.Ordinal)), EngineProfile.For(DialectKind.Postgres));
        await using var session = await DatabaseSessions.OpenAsync(url, TimeSpan.FromMinutes(30));
        var notes = new List<string>();
        var result = await new Deployer().DeployAsync(plan, session, DeployOptions.Default with
        {
            Progress = new Notes(notes),
            GhostCopy = chunkCap is { } cap ? GhostCopyOptions.Default with { MaxChunkRowsUnderWrites = cap == 0 ? int.MaxValue : cap } : GhostCopyOptions.Default,
        });
        foreach (var note in notes.Where(n => n.StartsWith("ghost copy", StringComparison.Ordinal) || n.StartsWith("cutover", StringComparison.Ordinal)))
        {
            Console.WriteLine("  " + note);
        }

        if (result.Outcome != DeploymentOutcome.Deployed)
        {
            throw new InvalidOperationException($"deploy ended {result.Outcome}");
        }
    }

    /// <summary>pg_repack of the table (no type change: the rebuild's cost and stall are the reference).</summary>
    private static async Task RepackAsync(Options options, string database)
    {
        var info = new ProcessStartInfo("pg_repack") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "--host", options.Url.Host, "--port", options.Url.Port.ToString(CultureInfo.InvariantCulture), "--username", options.Url.User, "--dbname", database, "--table", "items", "--no-order" })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["PGPASSWORD"] = options.Password;
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_repack exited {process.ExitCode}: {await error}");
        }
    }

    /// <summary>The column is bigint (pg_repack: unchanged) and the writers' rows are there.</summary>
    private static async Task<bool> CheckAsync(string connectionString, string method)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'n'", connection);
        var type = (string)(await command.ExecuteScalarAsync())!;
        return type == (method == "repack" ? "integer" : "bigint");
    }

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.OrderBy(v => v).ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }

    private sealed record Result(string Mode, string Method, TimeSpan Wall, double P50, double P99, double Stall, int Writes, int Failures, bool Correct)
    {
        public int Failed => Failures;

        public override string ToString() =>
            $"{Mode} {Method}: {Wall.TotalSeconds:0.00} s, writes p50 {P50:0.0} ms, p99 {P99:0.0} ms, longest write {Stall:0} ms, {Writes} writes, {Failures} failed{(Correct ? string.Empty : ", WRONG RESULT")}";
    }

    private sealed class Notes : IDeploymentProgress
    {
        private readonly List<string> lines;

        public Notes(List<string> lines) => this.lines = lines;

        public void Started(string deploymentId, Plan plan, int firstStep)
        {
        }

        public void StepStarted(PlanStep step)
        {
        }

        public void StepRetrying(PlanStep step, int attempt, TimeSpan backoff, string reason)
        {
        }

        public void StepFinished(PlanStep step, string status, TimeSpan duration)
        {
        }

        public void Note(string message)
        {
            lock (lines)
            {
                lines.Add(message);
            }
        }
    }

    /// <summary>Writers at a fixed rate: 40% update, 40% insert (new ids above the seed), 20% delete; every write's start and duration.</summary>
    private sealed class Load
    {
        private readonly string connectionString;
        private readonly int writers;
        private readonly double rate;
        private readonly long rows;
        private readonly ConcurrentBag<(double At, double Ms)> writes = new();
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private readonly List<double> marks = new();
        private int failures;

        public Load(string connectionString, int writers, double rate, long rows)
        {
            this.connectionString = connectionString;
            this.writers = writers;
            this.rate = rate;
            this.rows = rows;
        }

        public int Failures => failures;

        public void Mark() => marks.Add(clock.Elapsed.TotalMilliseconds);

        /// <summary>Latencies of the writes that ended inside the measured window.</summary>
        public List<double> During() => writes.Where(w => w.At + w.Ms >= marks[0] && w.At <= marks[1]).Select(w => w.Ms).ToList();

        public Task RunAsync(CancellationToken stop) =>
            rate <= 0 ? Task.CompletedTask : Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(() => WriterAsync(w, stop), CancellationToken.None)));

        private async Task WriterAsync(int writer, CancellationToken stop)
        {
            var random = new Random(writer * 7919 + 1);
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(CancellationToken.None);
            var next = rows + 1 + writer;
            var interval = 1000.0 * writers / rate;
            var due = clock.Elapsed.TotalMilliseconds;
            while (!stop.IsCancellationRequested)
            {
                due += interval;
                var wait = due - clock.Elapsed.TotalMilliseconds;
                if (wait > 1)
                {
                    try
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(wait), stop);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }

                var op = random.Next(10);
                var at = clock.Elapsed.TotalMilliseconds;
                await using var command = connection.CreateCommand();
                if (op < 4)
                {
                    command.CommandText = "UPDATE items SET n = $1 WHERE id = $2";
                    command.Parameters.Add(new NpgsqlParameter { Value = random.Next(1_000_000) });
                    command.Parameters.Add(new NpgsqlParameter { Value = (long)random.NextInt64(1, rows + 1) });
                }
                else if (op < 8)
                {
                    command.CommandText = "INSERT INTO items (id, n, note) VALUES ($1, $2, 'new')";
                    command.Parameters.Add(new NpgsqlParameter { Value = next });
                    command.Parameters.Add(new NpgsqlParameter { Value = random.Next(1_000_000) });
                    next += writers;
                }
                else
                {
                    command.CommandText = "DELETE FROM items WHERE id = $1";
                    command.Parameters.Add(new NpgsqlParameter { Value = (long)random.NextInt64(1, rows + 1) });
                }

                try
                {
                    await command.ExecuteNonQueryAsync(CancellationToken.None);
                }
                catch (NpgsqlException)
                {
                    Interlocked.Increment(ref failures);
                }

                writes.Add((at, clock.Elapsed.TotalMilliseconds - at));
            }
        }
    }

    private sealed record Options(ConnectionUrl Url, string Password, long Rows, int Writers, double Rate, IReadOnlyList<string> Methods, IReadOnlyList<string> Modes, int? ChunkCap)
    {
        public static Options Parse(string[] args)
        {
            string? Value(string name)
            {
                var i = Array.IndexOf(args, name);
                return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
            }

            var text = Value("--url") ?? Environment.GetEnvironmentVariable("SCHEMABUILD_TEST_POSTGRES")
                ?? throw new InvalidOperationException("no server: set SCHEMABUILD_TEST_POSTGRES (eval \"$(eng/db.sh env)\") or pass --url postgres://user:password@host:port/db");
            var password = Uri.UnescapeDataString(new Uri(text).UserInfo.Split(':', 2).ElementAtOrDefault(1) ?? string.Empty);
            return new Options(
                ConnectionUrl.Parse(text), password,
                long.Parse(Value("--rows") ?? "1000000", CultureInfo.InvariantCulture),
                int.Parse(Value("--writers") ?? "8", CultureInfo.InvariantCulture),
                double.Parse(Value("--rate") ?? "400", CultureInfo.InvariantCulture),
                (Value("--only") ?? "native,repack,schemabuild").Split(','),
                (Value("--modes") ?? "idle,load").Split(','),
                Value("--chunk-cap") is { } cap ? int.Parse(cap, CultureInfo.InvariantCulture) : null);
        }

        public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
        {
            Host = Url.Host, Port = Url.Port, Username = Url.User, Password = Password, Database = database, Pooling = false, CommandTimeout = 0, ApplicationName = "schemabuild-bench",
        }.ConnectionString;
    }
}
